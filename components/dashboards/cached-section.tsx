import Link from 'next/link';
import type { ReactNode } from 'react';
import { sectionMarkup } from '@/lib/server/section-markup';
import { renderStaticMarkup, type Substitutes } from '@/lib/server/static-markup';

/**
 * A dashboard section rendered once per cached view and sent as one string of HTML: React's
 * Flight and HTML renderers and the browser's hydration then handle one element instead of the
 * section's hundreds (the dashboards' cost per request is proportional to their elements).
 *
 * `children` must be server-only: no client component (next/link becomes a plain `<a>`, which
 * the page's ClientLinks routes in place), no handler; renderStaticMarkup refuses anything else.
 * `data` is the cached view the section is drawn from and `part` names the section and every
 * other input it reads (see lib/server/section-markup.ts). The wrapper `<div>` takes the place
 * of the section's outer element in the layout (`className`).
 */
export async function CachedSection({
  data,
  part,
  className,
  children,
}: {
  data: object;
  part: string;
  className?: string;
  children: ReactNode;
}) {
  const html = await sectionMarkup(data, part, () => renderStaticMarkup(children, LINK_AS_ANCHOR));
  return <div className={className} dangerouslySetInnerHTML={{ __html: html }} />;
}

/**
 * A server-only part of a page rendered per request into one string of HTML (CachedSection's
 * rendering without its cache), for a long table that is only read: React's two renderers and
 * the browser's hydration then handle one element instead of its thousands. The same rules as
 * CachedSection for `children`; its links (next/link, WorkspaceLink) become plain `<a>`s, which a
 * ClientLinks around it routes in place.
 */
export async function StaticSection({
  className,
  children,
}: {
  className?: string;
  children: ReactNode;
}) {
  const html = await renderStaticMarkup(children, LINK_AS_ANCHOR);
  return <div className={className} dangerouslySetInnerHTML={{ __html: html }} />;
}

/** next/link's props that are not attributes of the `<a>` it renders. */
const LINK_ONLY = new Set([
  'href',
  'as',
  'prefetch',
  'replace',
  'scroll',
  'shallow',
  'passHref',
  'legacyBehavior',
  'locale',
  'onNavigate',
]);

export const LINK_AS_ANCHOR: Substitutes = new Map([
  [
    Link,
    (props: Record<string, unknown>) => {
      if (typeof props.href !== 'string')
        throw new Error('a cached section links with string hrefs only');
      const rest = Object.fromEntries(Object.entries(props).filter(([k]) => !LINK_ONLY.has(k)));
      // The href after the rest, as next/link writes it.
      return <a {...rest} href={props.href} />;
    },
  ],
]);
