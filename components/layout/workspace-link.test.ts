import Link from 'next/link';
import { createElement, type ReactElement } from 'react';
import { describe, expect, it } from 'vitest';
import { LINK_AS_ANCHOR } from '@/components/dashboards/cached-section';
import { renderStaticMarkup } from '@/lib/server/static-markup';
import { WorkspaceLink } from './workspace-link';

describe('WorkspaceLink', () => {
  it('is next/link with prefetching off, whatever a caller passes', () => {
    const props = { href: '/o/acme/kpis', className: 'nav', children: 'KPIs', prefetch: true };
    const element = WorkspaceLink(props as never) as ReactElement<Record<string, unknown>>;
    expect(element.type).toBe(Link);
    expect(element.props).toEqual({ ...props, prefetch: false });
  });

  it('is a plain link in a cached dashboard section, as next/link is', async () => {
    const html = await renderStaticMarkup(
      createElement(WorkspaceLink, { href: '/o/acme/kpis/1', className: 'row' }, 'Revenue'),
      LINK_AS_ANCHOR,
    );
    expect(html).toBe('<a class="row" href="/o/acme/kpis/1">Revenue</a>');
  });
});
