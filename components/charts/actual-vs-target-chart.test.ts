import { createElement, type ComponentProps } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { ActualVsTargetChart } from './actual-vs-target-chart';

type Props = ComponentProps<typeof ActualVsTargetChart>;
const render = (props: Props) => renderToStaticMarkup(createElement(ActualVsTargetChart, props));
const count = (html: string, text: string) => html.split(text).length - 1;
/** The `d` of the path drawn with `className` (its first one). */
const pathOf = (html: string, className: string) =>
  new RegExp(`<path d="([^"]*)" class="${className}"`).exec(html)?.[1];

const usd = { measureUnit: 'currency', currency: 'USD', decimals: 0 } as const;

describe('ActualVsTargetChart (server-drawn SVG)', () => {
  const arr = [
    { period: 'Oct 2026', Actual: 8_200_000, Target: 9_000_000 },
    { period: 'Nov 2026', Actual: 8_650_000, Target: 9_500_000 },
    { period: 'Dec 2026', Actual: 9_400_000, Target: 10_000_000 },
  ];

  it('draws five compact ticks, both lines, full numbers on hover and a table', () => {
    const html = render({ data: arr, timeAggregation: 'last', measure: usd, locale: 'en-US' });
    expect(count(html, 'data-testid="kpi-chart-y-tick"')).toBe(5);
    for (const tick of ['7.8M', '8.4M', '9M', '9.6M', '10.2M']) expect(html).toContain(`>${tick}<`);
    expect(html).toContain('in USD');
    expect(pathOf(html, 'fill-none stroke-indigo-500')).toMatch(
      /^M0\.00,\S+ L50\.00,\S+ L100\.00,\S+$/,
    );
    expect(pathOf(html, 'fill-none stroke-gray-500')).toMatch(/^M0\.00,/);
    expect(html).toContain('stroke-dasharray="6 4"');
    expect(count(html, 'data-testid="kpi-chart-period"')).toBe(3);
    expect(html).toContain('<title>Dec 2026\nActual: $9,400,000\nTarget: $10,000,000</title>');
    expect(html).toContain('<th scope="row">Oct 2026</th><td>$8,200,000</td><td>$9,000,000</td>');
    expect(html).toContain('role="img"');
    // Every label shows once there is room; the newest always.
    expect(count(html, 'data-testid="kpi-chart-x-label"')).toBe(3);
    expect(html).toMatch(/-translate-x-full [^"]*" style="left:100%">Dec 2026</);
  });

  it('breaks a line where a value is missing and dots a value standing alone', () => {
    const html = render({
      data: [
        { period: 'Q1', Actual: 10, Target: null },
        { period: 'Q2', Actual: null, Target: null },
        { period: 'Q3', Actual: 30, Target: 40 },
        { period: 'Q4', Actual: 40, Target: null },
      ],
      timeAggregation: 'sum',
      measure: { measureUnit: 'percent', currency: null, decimals: 1 },
    });
    const actual = pathOf(html, 'fill-none stroke-indigo-500')!;
    expect(actual.match(/M/g)).toHaveLength(1);
    expect(actual).toMatch(/^M66\.67,\S+ L100\.00,\S+$/);
    // Q1's actual and Q3's target stand alone: dots (zero-length round-capped subpaths).
    expect(pathOf(html, 'fill-none stroke-indigo-500')).toBeDefined();
    expect(html).toMatch(/<path d="M0\.00,[\d.]+h0" class="fill-none stroke-indigo-500"/);
    expect(html).toMatch(/<path d="M66\.67,[\d.]+h0" class="fill-none stroke-gray-500"/);
    expect(html).toContain('<th scope="row">Q2</th><td>—</td><td>—</td>');
    expect(html).toContain('>40%<');
  });

  it('draws the open period of a flow dotted from the last complete actual, and says so', () => {
    const html = render({
      data: [
        { period: 'Oct 2026', Actual: 100, Target: 120 },
        { period: 'Nov 2026', Actual: 130, Target: 120 },
        { period: 'Dec 2026', Actual: 20, Target: 120 },
      ],
      timeAggregation: 'sum',
      measure: { measureUnit: 'count', currency: null, decimals: 0 },
      partialPeriod: 'Dec 2026',
    });
    expect(pathOf(html, 'fill-none stroke-indigo-500')).toMatch(/^M0\.00,\S+ L50\.00,\S+$/);
    expect(pathOf(html, 'fill-none stroke-slate-400')).toMatch(/^M50\.00,\S+ L100\.00,\S+$/);
    expect(html).toContain('<title>Dec 2026 (so far)\nActual: 20\nTarget: 120</title>');
    expect(html).toContain('<th scope="row">Dec 2026 (so far)</th>');
    expect(html).toContain('Dec 2026 is still open: its actual is the period so far.');
  });

  it('thins period labels on narrow screens, keeping the newest', () => {
    const months = Array.from({ length: 12 }, (_, i) => ({
      period: `M${String(i + 1).padStart(2, '0')} 2026`,
      Actual: i,
      Target: 10,
    }));
    const html = render({ data: months, timeAggregation: 'last', measure: usd });
    const labels = [
      ...html.matchAll(/data-testid="kpi-chart-x-label" class="([^"]*)"[^>]*>([^<]*)</g),
    ];
    const onPhone = labels.filter(([, c]) => !c!.includes('hidden')).map(([, , text]) => text);
    expect(onPhone).toContain('M12 2026');
    expect(onPhone.length).toBeLessThanOrEqual(4);
    expect(labels.length).toBe(12);
  });

  it('says there is nothing to chart without any value', () => {
    const html = render({
      data: [{ period: 'Dec 2026', Actual: null, Target: null }],
      timeAggregation: 'sum',
      measure: usd,
    });
    expect(html).toContain('Nothing to chart yet');
    expect(html).not.toContain('<svg');
  });
});
