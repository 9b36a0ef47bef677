import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { axisTicks, compactAxisLabel, yAxisDomain } from '@/lib/domain/chart-axis';

describe('yAxisDomain', () => {
  it('fits a level KPI (ARR) to its data with padding instead of starting at 0', () => {
    // ARR from 8.2M to 9.4M against a 10M target.
    const d = yAxisDomain([8_200_000, 8_650_000, 9_400_000, 10_000_000, null], 'last');
    expect(d).not.toBeNull();
    expect(d!.min).toBeGreaterThan(7_000_000);
    expect(d!.min).toBeLessThan(8_200_000);
    expect(d!.max).toBeGreaterThan(10_000_000);
    expect(d!.max).toBeLessThanOrEqual(11_000_000);
    expect(d).toEqual({ min: 7_800_000, max: 10_200_000, step: 600_000 });
  });

  it('fits a rate (average) too, and never crosses zero when the data does not', () => {
    expect(yAxisDomain([0.5, 1, 2], 'average')).toEqual({ min: 0, max: 2.4, step: 0.6 });
    expect(yAxisDomain([97.1, 99.2, 99.9], 'average')).toEqual({ min: 96, max: 104, step: 2 });
  });

  it('keeps negative levels below zero and not above it', () => {
    expect(yAxisDomain([-120, -80], 'last')).toEqual({ min: -140, max: -60, step: 20 });
    const d = yAxisDomain([-5, -1], 'last')!;
    expect(d.max).toBeLessThanOrEqual(0);
  });

  it('lets a flow (sum) start at zero, or below it with negative data', () => {
    expect(yAxisDomain([120_000, 180_000], 'sum')).toEqual({ min: 0, max: 200_000, step: 50_000 });
    const d = yAxisDomain([-50, 100], 'sum')!;
    expect(d.min).toBeLessThan(-50);
    expect(d.max).toBeGreaterThan(100);
  });

  it('gives a non-empty range for a flat line and for all zeros', () => {
    expect(yAxisDomain([500, 500], 'last')).toEqual({ min: 450, max: 570, step: 30 });
    expect(yAxisDomain([0, 0], 'last')).toEqual({ min: 0, max: 0.12, step: 0.03 });
    expect(yAxisDomain([0], 'sum')).toEqual({ min: 0, max: 1.2, step: 0.3 });
  });

  it('is null without a finite value', () => {
    expect(yAxisDomain([], 'last')).toBeNull();
    expect(yAxisDomain([null, Number.NaN], 'sum')).toBeNull();
  });

  it('always contains every value, with min < max (property)', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.integer({ min: -1e9, max: 1e9 }).map((i) => i / 1000),
          { minLength: 1, maxLength: 24 },
        ),
        fc.constantFrom('sum', 'last', 'average' as const),
        (values, agg) => {
          const d = yAxisDomain(values, agg)!;
          expect(d.min).toBeLessThan(d.max);
          // Four steps: Recharts' five ticks land on them (up to float rounding at the range's
          // magnitude: near a million, doubles are only exact to about 1e-10).
          const magnitude = Math.max(1, Math.abs(d.min), Math.abs(d.max));
          expect(Math.abs(d.min + 4 * d.step - d.max)).toBeLessThanOrEqual(magnitude * 1e-12);
          for (const v of values) {
            expect(v).toBeGreaterThanOrEqual(d.min - Math.abs(d.min) * 1e-9);
            expect(v).toBeLessThanOrEqual(d.max + Math.abs(d.max) * 1e-9);
          }
          if (values.every((v) => v >= 0)) expect(d.min).toBeGreaterThanOrEqual(0);
        },
      ),
    );
  });
});

describe('compactAxisLabel', () => {
  it('labels every tick of a domain exactly and distinctly', () => {
    for (const values of [
      [8_200_000, 10_000_000],
      [9_400_000, 9_500_000],
      [120_000, 180_000],
      [97.1, 99.9],
      [0.012, 0.019],
    ]) {
      const d = yAxisDomain(values, 'last')!;
      const labels = [0, 1, 2, 3, 4].map((i) =>
        compactAxisLabel(d.min + i * d.step, 'en-US', '', d.step),
      );
      expect(new Set(labels).size).toBe(5);
      for (const label of labels) expect(label.length).toBeLessThanOrEqual(6);
    }
    expect(
      [0, 1, 2, 3, 4].map((i) => compactAxisLabel(7_800_000 + i * 600_000, 'en-US', '', 600_000)),
    ).toEqual(['7.8M', '8.4M', '9M', '9.6M', '10.2M']);
    expect(compactAxisLabel(9_450_000, 'en-US', '', 30_000)).toBe('9.45M');
  });

  it.each([
    [9_400_000, '9.4M'],
    [10_000_000, '10M'],
    [120_000, '120K'],
    [7_500, '7.5K'],
    [950, '950'],
    [0.25, '0.3'],
    [-2_100, '-2.1K'],
    [0, '0'],
  ] as const)('%d -> %s', (value, text) => {
    expect(compactAxisLabel(value)).toBe(text);
  });

  it('keeps a short suffix such as % and never writes the currency on each tick', () => {
    expect(compactAxisLabel(99.5, 'en-US', '%')).toBe('99.5%');
    expect(compactAxisLabel(10_000_000).length).toBeLessThanOrEqual(5);
  });

  it('follows the locale, and falls back to en-US for an unknown one', () => {
    expect(compactAxisLabel(9_400_000, 'de-DE')).toBe('9,4\u00a0Mio.');
    expect(compactAxisLabel(9_400_000, 'not a locale!')).toBe('9.4M');
  });
});

describe('axisTicks', () => {
  it('gives five ticks from min to max, bottom first, without float noise', () => {
    expect(axisTicks({ min: 7_800_000, max: 10_200_000, step: 600_000 })).toEqual([
      7_800_000, 8_400_000, 9_000_000, 9_600_000, 10_200_000,
    ]);
    expect(axisTicks({ min: 0, max: 0.12, step: 0.03 })).toEqual([0, 0.03, 0.06, 0.09, 0.12]);
  });
});
