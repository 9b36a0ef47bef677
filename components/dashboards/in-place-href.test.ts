import { describe, expect, it } from 'vitest';
import { inPlaceHref, type LinkClick } from './in-place-href';

const origin = 'https://kpi.example';
const click = (over: Partial<LinkClick> = {}): LinkClick => ({
  href: `${origin}/o/acme/kpis/k1?asOf=2026-11-30#trend`,
  target: '',
  download: false,
  button: 0,
  modified: false,
  defaultPrevented: false,
  ...over,
});

describe('inPlaceHref', () => {
  it('routes a plain left click on a same-origin link, keeping its query and fragment', () => {
    expect(inPlaceHref(click(), origin)).toBe('/o/acme/kpis/k1?asOf=2026-11-30#trend');
    expect(inPlaceHref(click({ target: '_self' }), origin)).toBe(
      '/o/acme/kpis/k1?asOf=2026-11-30#trend',
    );
  });

  it.each([
    ['a modifier key (new tab or window)', { modified: true }],
    ['the middle button', { button: 1 }],
    ['a target', { target: '_blank' }],
    ['a download', { download: true }],
    ['a click handled already (a next/link inside)', { defaultPrevented: true }],
    ['another origin', { href: 'https://elsewhere.example/o/acme' }],
  ] as const)('leaves %s to the browser', (_what, over) => {
    expect(inPlaceHref(click(over), origin)).toBeNull();
  });
});
