import { createElement as h, Fragment, type ReactNode } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { escapeHtml, renderStaticMarkup, StaticMarkupError } from './static-markup';

/** Ours against react-dom/server's, byte for byte. */
async function same(node: ReactNode) {
  const ours = await renderStaticMarkup(node);
  expect(ours).toBe(renderToStaticMarkup(node));
  return ours;
}

function Row({ label, value }: { label: string; value: number }) {
  return h('li', { className: 'row', 'data-testid': 'row' }, label, ': ', value);
}

describe('renderStaticMarkup', () => {
  it('writes tags, text, numbers, fragments, arrays and components as react-dom/server does', async () => {
    const html = await same(
      h(
        'section',
        { id: 's', 'aria-labelledby': 'h', className: 'a b' },
        h('h3', { id: 'h' }, 'Sales & <Marketing> "Q1" it\u2019s'),
        h(
          'ul',
          null,
          [1, 2].map((n) => h(Row, { key: n, label: `KPI ${n}`, value: n * 1.5 })),
        ),
        h(Fragment, null, null, false, undefined, 'tail', 0),
        h('br'),
        h('hr', { className: 'x' }),
        h('a', { href: '/o/acme/kpis?status=attention&asOf=2026-11-30', title: "it's" }, 'See all'),
      ),
    );
    expect(html).toContain('Sales &amp; &lt;Marketing&gt; &quot;Q1&quot;');
  });

  it('writes SVG attributes, styles, aria and data values and booleans as React does', async () => {
    await same(
      h(
        'svg',
        { viewBox: '0 0 100 20', preserveAspectRatio: 'none', 'aria-hidden': true, role: 'img' },
        h('path', {
          d: 'M0 1L2 3',
          fill: 'none',
          strokeWidth: 2,
          strokeLinejoin: 'round',
          strokeDasharray: '3 3',
          vectorEffect: 'non-scaling-stroke',
          className: 'stroke-indigo-500',
        }),
      ),
    );
    await same(
      h(
        'div',
        {
          style: { width: '12.5%', marginTop: 4, opacity: 0.5, zIndex: 2, height: 0 },
          hidden: true,
        },
        h('span', { 'data-on': false, 'aria-expanded': false, tabIndex: -1, hidden: false }, 'x'),
        h('label', { htmlFor: 'f' }, 'f'),
        h('p', { dangerouslySetInnerHTML: { __html: '<b>kept</b>' } }),
      ),
    );
  });

  it('awaits async components and substitutes the components it is given', async () => {
    async function Later({ children }: { children: ReactNode }) {
      await new Promise((r) => setTimeout(r, 1));
      return h('em', null, children);
    }
    function Client(): ReactNode {
      throw new Error('never called: substituted');
    }
    const html = await renderStaticMarkup(
      h('p', null, h(Later as never, null, 'soon'), h(Client as never, { href: '/k' }, 'link')),
      new Map([
        [Client, (p: Record<string, unknown>) => h('a', { href: p.href }, p.children as ReactNode)],
      ]),
    );
    expect(html).toBe('<p><em>soon</em><a href="/k">link</a></p>');
  });

  it('refuses what a cached section cannot hold, naming it', async () => {
    const client = Object.assign(() => null, {
      $$typeof: Symbol.for('react.client.reference'),
    });
    await expect(renderStaticMarkup(h(client as never, null))).rejects.toThrow(
      /a client component/,
    );
    await expect(renderStaticMarkup(h('button', { onClick: () => undefined }))).rejects.toThrow(
      StaticMarkupError,
    );
    await expect(renderStaticMarkup(h('div', { acceptCharset: 'x' }))).rejects.toThrow(
      /does not know/,
    );
    await expect(
      renderStaticMarkup(h('a', { href: ' JaVa\tScRiPt:alert(1)' }, 'x')),
    ).rejects.toThrow(/javascript: URL/);
    await expect(renderStaticMarkup(h('br', null, 'x'))).rejects.toThrow(/cannot have children/);
    await expect(renderStaticMarkup(h('img', { src: '/x.png' }))).rejects.toThrow(/resource/);
  });

  it('escapes the five characters React escapes', () => {
    expect(escapeHtml(`<a href="x">Tom & Jerry's</a>`)).toBe(
      '&lt;a href=&quot;x&quot;&gt;Tom &amp; Jerry&#x27;s&lt;/a&gt;',
    );
  });
});
