import type { ReactNode } from 'react';

/**
 * Renders a tree of server-only elements (HTML and SVG tags, function components, fragments,
 * strings) to the HTML `renderToStaticMarkup` of react-dom/server would give, for a section the
 * page then sends as one string (cached-section.tsx). Next refuses react-dom/server inside server
 * components, hence this small renderer of our own.
 *
 * It supports what the cached sections use and refuses anything else with an error naming it, so
 * a section that grows a client component, an event handler or an attribute this file does not
 * know fails loudly (its unit test compares the output with react-dom/server's byte for byte):
 * - `substitutes` maps a component (for example next/link, a client component) to a server one
 *   rendering the same markup (a plain `<a>`, routed in place by the page's ClientLinks).
 * - Hooks are not available: a component that calls one throws.
 */
export type Substitutes = Map<unknown, (props: Record<string, unknown>) => ReactNode>;

const ELEMENT = Symbol.for('react.transitional.element');
const LEGACY_ELEMENT = Symbol.for('react.element');
const FRAGMENT = Symbol.for('react.fragment');

const VOID = new Set([
  'area',
  'base',
  'br',
  'col',
  'embed',
  'hr',
  'input',
  'source',
  'track',
  'wbr',
]);

/** camelCase props and the attribute React writes for each (react-dom's aliases, the ones here). */
const RENAMED = new Map([
  ['className', 'class'],
  ['htmlFor', 'for'],
  ['tabIndex', 'tabindex'],
  ['viewBox', 'viewBox'],
  ['preserveAspectRatio', 'preserveAspectRatio'],
  ['colSpan', 'colspan'],
  ['rowSpan', 'rowspan'],
  ['dateTime', 'datetime'],
  ['clipRule', 'clip-rule'],
  ['fillOpacity', 'fill-opacity'],
  ['fillRule', 'fill-rule'],
  ['strokeDasharray', 'stroke-dasharray'],
  ['strokeDashoffset', 'stroke-dashoffset'],
  ['strokeLinecap', 'stroke-linecap'],
  ['strokeLinejoin', 'stroke-linejoin'],
  ['strokeOpacity', 'stroke-opacity'],
  ['strokeWidth', 'stroke-width'],
  ['textAnchor', 'text-anchor'],
  ['vectorEffect', 'vector-effect'],
]);

/** Attributes React writes as `name=""` when true and leaves out when false. */
const BOOLEAN = new Set(['hidden', 'disabled', 'open', 'required', 'readOnly', 'inert']);

/** Style properties React writes bare when given a number (the rest get "px"). */
const UNITLESS = new Set(['flex', 'flexGrow', 'flexShrink', 'opacity', 'order', 'zIndex']);

const ESCAPED: Record<string, string> = {
  '"': '&quot;',
  '&': '&amp;',
  "'": '&#x27;',
  '<': '&lt;',
  '>': '&gt;',
};

/** React's escaping of text and attribute values. */
export function escapeHtml(value: string): string {
  return value.replace(/["&'<>]/g, (c) => ESCAPED[c]!);
}

/** React's blocked-URL test: a `javascript:` URL, whatever its case and control characters. */
const JAVASCRIPT_URL =
  /^[\u0000-\u001F ]*j[\r\n\t]*a[\r\n\t]*v[\r\n\t]*a[\r\n\t]*s[\r\n\t]*c[\r\n\t]*r[\r\n\t]*i[\r\n\t]*p[\r\n\t]*t[\r\n\t]*:/i;

export class StaticMarkupError extends Error {
  override name = 'StaticMarkupError';
}

export async function renderStaticMarkup(
  node: ReactNode,
  substitutes: Substitutes = new Map(),
): Promise<string> {
  const out: string[] = [];
  await render(node, substitutes, out);
  return out.join('');
}

async function render(node: unknown, subs: Substitutes, out: string[]): Promise<void> {
  if (node === null || node === undefined || typeof node === 'boolean') return;
  if (typeof node === 'string') {
    out.push(escapeHtml(node));
    return;
  }
  if (typeof node === 'number' || typeof node === 'bigint') {
    out.push(String(node));
    return;
  }
  if (Array.isArray(node)) {
    for (const child of node) await render(child, subs, out);
    return;
  }
  if (typeof node !== 'object') throw new StaticMarkupError(`cannot render a ${typeof node}`);
  if (typeof (node as PromiseLike<unknown>).then === 'function') {
    await render(await (node as PromiseLike<unknown>), subs, out);
    return;
  }
  const el = node as { $$typeof?: symbol; type?: unknown; props?: Record<string, unknown> };
  if (el.$$typeof !== ELEMENT && el.$$typeof !== LEGACY_ELEMENT) {
    if (Symbol.iterator in node) {
      for (const child of node as Iterable<unknown>) await render(child, subs, out);
      return;
    }
    throw new StaticMarkupError('cannot render an object that is not an element');
  }
  const props = el.props ?? {};
  const type = el.type;
  if (type === FRAGMENT) {
    await render(props.children, subs, out);
    return;
  }
  const substitute = subs.get(type);
  if (substitute) {
    await render(substitute(props), subs, out);
    return;
  }
  if (typeof type === 'string') {
    await renderTag(type, props, subs, out);
    return;
  }
  if (typeof type === 'function' && !isClientReference(type)) {
    await render((type as (p: Record<string, unknown>) => unknown)(props), subs, out);
    return;
  }
  const named = type as { name?: string; displayName?: string } | null;
  const name = named?.displayName ?? named?.name;
  throw new StaticMarkupError(
    `cannot render ${isClientReference(type) ? 'a client component' : 'this element type'}` +
      `${name ? ` (${name})` : ''}: give it a substitute or leave it out of the cached section`,
  );
}

function isClientReference(type: unknown): boolean {
  return (
    (typeof type === 'function' || (typeof type === 'object' && type !== null)) &&
    (type as { $$typeof?: symbol }).$$typeof === Symbol.for('react.client.reference')
  );
}

async function renderTag(
  tag: string,
  props: Record<string, unknown>,
  subs: Substitutes,
  out: string[],
): Promise<void> {
  // React hoists a preload hint for images, and treats these as resources of the document.
  if (['img', 'link', 'meta', 'script', 'style', 'title'].includes(tag))
    throw new StaticMarkupError(`<${tag}>: React treats it as a resource of the document`);
  let html = `<${tag}`;
  let inner: string | undefined;
  for (const [name, value] of Object.entries(props)) {
    if (name === 'children' || name === 'key' || name === 'ref') continue;
    if (name === 'dangerouslySetInnerHTML') {
      inner = (value as { __html?: string } | null)?.__html ?? undefined;
      continue;
    }
    if (name === 'suppressHydrationWarning') continue;
    html += attribute(tag, name, value);
  }
  if (VOID.has(tag)) {
    if (props.children != null || inner !== undefined)
      throw new StaticMarkupError(`<${tag}> cannot have children`);
    out.push(`${html}/>`);
    return;
  }
  out.push(`${html}>`);
  if (inner !== undefined) out.push(inner);
  else await render(props.children, subs, out);
  out.push(`</${tag}>`);
}

function attribute(tag: string, name: string, value: unknown): string {
  if (typeof value === 'function' || typeof value === 'symbol')
    throw new StaticMarkupError(
      `<${tag} ${name}>: a function cannot be sent as markup (a handler belongs in a client component)`,
    );
  if (name === 'style') return style(value);
  if (name.startsWith('aria-') || name.startsWith('data-')) {
    if (value === null || value === undefined) return '';
    return ` ${name}="${escapeHtml(String(value))}"`;
  }
  if (BOOLEAN.has(name)) return value ? ` ${name.toLowerCase()}=""` : '';
  const attr = RENAMED.get(name) ?? (/^[a-z][a-z-]*$/.test(name) ? name : undefined);
  if (!attr)
    throw new StaticMarkupError(`<${tag} ${name}>: an attribute this renderer does not know`);
  if (value === null || value === undefined || typeof value === 'boolean') return '';
  const text = String(value);
  if ((name === 'href' || name === 'src') && text === '') return '';
  if ((name === 'href' || name === 'src' || name === 'action') && JAVASCRIPT_URL.test(text))
    throw new StaticMarkupError(`<${tag} ${name}>: a javascript: URL`);
  return ` ${attr}="${escapeHtml(text)}"`;
}

function style(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value !== 'object') throw new StaticMarkupError('style must be an object');
  const parts: string[] = [];
  for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
    if (v === null || v === undefined || typeof v === 'boolean' || v === '') continue;
    const css = key.startsWith('--')
      ? key
      : key
          .replace(/([A-Z])/g, '-$1')
          .toLowerCase()
          .replace(/^ms-/, '-ms-');
    const text =
      typeof v === 'number'
        ? v === 0 || UNITLESS.has(key)
          ? String(v)
          : `${v}px`
        : String(v).trim();
    parts.push(`${escapeHtml(css)}:${escapeHtml(text)}`);
  }
  return parts.length > 0 ? ` style="${parts.join(';')}"` : '';
}
