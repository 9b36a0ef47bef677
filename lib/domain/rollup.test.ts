import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decCompare } from '@/lib/domain/decimal';
import {
  ARITHMETIC_ROLLUPS,
  ROLLUP_METHODS,
  contributionShares,
  isArithmeticRollup,
  rollupChildren,
} from '@/lib/domain/rollup';
import type { ChildContribution } from '@/lib/domain/rollup';
import {
  roundHalfAwayScaled,
  scaledDecimal,
  scaledToString,
  scaledWeight,
} from '@/lib/domain/test-arbitraries';

const c = (value: string | null, weight = '1'): ChildContribution => ({ value, weight });

describe('rollup methods', () => {
  it('arithmetic rollups are all but manual', () => {
    expect(ROLLUP_METHODS).toEqual([
      'manual',
      'sum',
      'average',
      'weighted_average',
      'min',
      'max',
      'formula',
    ]);
    expect(ARITHMETIC_ROLLUPS).toEqual(
      ROLLUP_METHODS.filter((m) => m !== 'manual' && m !== 'formula'),
    );
    expect(ROLLUP_METHODS.filter(isArithmeticRollup)).toEqual(ARITHMETIC_ROLLUPS);
  });
});

describe('rollupChildren', () => {
  it.each(ARITHMETIC_ROLLUPS)('%s of no children is null, 0 of 0', (method) => {
    expect(rollupChildren(method, [])).toEqual({ value: null, reported: 0, expected: 0 });
  });

  it.each(ARITHMETIC_ROLLUPS)('%s with no reporting child is null, 0 of 3', (method) => {
    expect(rollupChildren(method, [c(null), c(null), c(null)])).toEqual({
      value: null,
      reported: 0,
      expected: 3,
    });
  });

  const mixed = [c('10', '1'), c(null, '5'), c('40', '3'), c('-5', '2')];
  it.each([
    ['sum', '45'],
    ['average', '15'],
    // (10*1 + 40*3 + -5*2) / (1 + 3 + 2) = 120 / 6; the missing child's weight is left out
    ['weighted_average', '20'],
    ['min', '-5'],
    ['max', '40'],
  ] as const)('%s leaves the missing child out: %s, 3 of 4 reported', (method, value) => {
    expect(rollupChildren(method, mixed)).toEqual({ value, reported: 3, expected: 4 });
  });

  it.each([
    ['sum', [c('0.1'), c('0.2')], '0.3'],
    ['sum', [c('1.5'), c('-1.5')], '0'],
    ['sum', [c('99999999999999.999999'), c('0.000001')], '100000000000000'],
    ['average', [c('1'), c('1'), c('2')], '1.3333333333'],
    ['average', [c('2'), c('2'), c('1')], '1.6666666667'],
    ['average', [c('-1'), c('-1'), c('-2')], '-1.3333333333'],
    ['weighted_average', [c('1', '1'), c('2', '2')], '1.6666666667'],
    ['weighted_average', [c('100', '0.5'), c('50', '1.5')], '62.5'],
    ['weighted_average', [c('7', '0.000001')], '7'],
    ['weighted_average', [c('1', '3'), c('0', '0.000001')], '0.9999996667'],
    ['min', [c('3'), c('3.0'), c('4')], '3'],
    ['max', [c('-3'), c('-3.5')], '-3'],
    ['max', [c('1.10')], '1.1'],
  ] as const)('%s of %j = %s', (method, children, value) => {
    expect(rollupChildren(method, children).value).toBe(value);
  });

  it.each(['0', '-1', 'abc'])('refuses a weight of %j', (weight) => {
    expect(() => rollupChildren('weighted_average', [c('1', weight)])).toThrow(RangeError);
  });

  it('ignores the weight of a non-reporting child, even a bad one', () => {
    expect(rollupChildren('weighted_average', [c('4', '2'), c(null, '0')]).value).toBe('4');
  });

  it("'sum' of 10,000 children of 0.1 is exactly 1000", () => {
    const children = Array.from({ length: 10_000 }, () => c('0.1'));
    expect(rollupChildren('sum', children)).toEqual({
      value: '1000',
      reported: 10_000,
      expected: 10_000,
    });
  });
});

describe('rollupChildren: properties', () => {
  const childArb = fc.record({
    v: fc.option(scaledDecimal(), { nil: null }),
    w: scaledWeight(),
  });
  const childrenArb = fc.array(childArb, { maxLength: 30 });
  const toChildren = (xs: { v: { n: bigint; s: string } | null; w: { s: string } }[]) =>
    xs.map((x) => c(x.v?.s ?? null, x.w.s));

  it('counts reported and expected children', () => {
    fc.assert(
      fc.property(childrenArb, fc.constantFrom(...ARITHMETIC_ROLLUPS), (xs, method) => {
        const result = rollupChildren(method, toChildren(xs));
        const reported = xs.filter((x) => x.v !== null).length;
        expect(result.expected).toBe(xs.length);
        expect(result.reported).toBe(reported);
        expect(result.value === null).toBe(reported === 0);
      }),
    );
  });

  it('sum equals the exact BigInt sum; average and weighted average their exact rounding', () => {
    fc.assert(
      fc.property(childrenArb, (xs) => {
        const children = toChildren(xs);
        const rep = xs.flatMap((x) => (x.v ? [{ v: x.v.n, w: x.w.n }] : []));
        if (rep.length === 0) return;
        const total = rep.reduce((a, r) => a + r.v, 0n);
        expect(rollupChildren('sum', children).value).toBe(scaledToString(total, 6));
        const avg = roundHalfAwayScaled(total, BigInt(rep.length) * 10n ** 6n, 10);
        expect(rollupChildren('average', children).value).toBe(scaledToString(avg, 10));
        // sum(v*w) has scale 12, sum(w) scale 6: the quotient carries a factor 10^-6
        const num = rep.reduce((a, r) => a + r.v * r.w, 0n);
        const den = rep.reduce((a, r) => a + r.w, 0n) * 10n ** 6n;
        expect(rollupChildren('weighted_average', children).value).toBe(
          scaledToString(roundHalfAwayScaled(num, den, 10), 10),
        );
      }),
    );
  });

  it('min <= average <= max and min <= weighted average <= max', () => {
    fc.assert(
      fc.property(childrenArb, (xs) => {
        const children = toChildren(xs);
        const min = rollupChildren('min', children).value;
        const max = rollupChildren('max', children).value;
        if (min === null || max === null) return;
        for (const method of ['average', 'weighted_average'] as const) {
          const mid = rollupChildren(method, children).value!;
          expect(decCompare(min, mid)).toBeLessThanOrEqual(0);
          expect(decCompare(mid, max)).toBeLessThanOrEqual(0);
        }
        const values = xs.flatMap((x) => (x.v ? [x.v.s] : []));
        expect(values).toContain(min);
        expect(values).toContain(max);
      }),
    );
  });

  it('weighted average with equal weights equals the average', () => {
    fc.assert(
      fc.property(
        fc.array(scaledDecimal(), { minLength: 1, maxLength: 20 }),
        scaledWeight(),
        (vs, w) => {
          const children = vs.map((v) => c(v.s, w.s));
          expect(rollupChildren('weighted_average', children).value).toBe(
            rollupChildren('average', children).value,
          );
        },
      ),
    );
  });

  it('does not depend on the order of the children', () => {
    fc.assert(
      fc.property(childrenArb, fc.constantFrom(...ARITHMETIC_ROLLUPS), (xs, method) => {
        const children = toChildren(xs);
        expect(rollupChildren(method, [...children].reverse())).toEqual(
          rollupChildren(method, children),
        );
      }),
    );
  });
});

describe('contributionShares', () => {
  const children = [c('30', '1'), c(null, '2'), c('10', '3'), c('60', '1')];

  it.each([
    ['sum', [0.3, null, 0.1, 0.6]],
    ['average', [1 / 3, null, 1 / 3, 1 / 3]],
    ['weighted_average', [0.2, null, 0.6, 0.2]],
    ['min', [0, null, 1, 0]],
    ['max', [0, null, 0, 1]],
    ['manual', [0, null, 0, 0]],
  ] as const)('%s', (method, expected) => {
    const shares = contributionShares(method, children);
    expect(shares).toHaveLength(expected.length);
    shares.forEach((share, i) => {
      const want = expected[i];
      if (want === null) expect(share).toBeNull();
      else expect(share).toBeCloseTo(want!, 12);
    });
  });

  it('gives the min/max share to the first child holding the extreme value', () => {
    expect(contributionShares('max', [c('5'), c('5'), c('1')])).toEqual([1, 0, 0]);
    expect(contributionShares('min', [c('5'), c('1'), c('1.0')])).toEqual([0, 1, 0]);
  });

  it('gives zero shares when a sum totals zero, and allows negative shares', () => {
    expect(contributionShares('sum', [c('5'), c('-5')])).toEqual([0, 0]);
    expect(contributionShares('sum', [c('0'), c('0')])).toEqual([0, 0]);
    const shares = contributionShares('sum', [c('15'), c('-5')]);
    expect(shares[0]).toBeCloseTo(1.5, 12);
    expect(shares[1]).toBeCloseTo(-0.5, 12);
  });

  it('is all null without reporting children', () => {
    expect(contributionShares('sum', [c(null), c(null)])).toEqual([null, null]);
    expect(contributionShares('average', [])).toEqual([]);
  });

  it('shares of reporting children sum to 1 (sum with non-zero total, average, weighted)', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({ v: fc.option(scaledDecimal(10n ** 12n), { nil: null }), w: scaledWeight() }),
          {
            maxLength: 20,
          },
        ),
        fc.constantFrom('sum', 'average', 'weighted_average', 'min', 'max'),
        (xs, method) => {
          const children = xs.map((x) => c(x.v?.s ?? null, x.w.s));
          const shares = contributionShares(method, children);
          expect(shares.map((sh) => sh === null)).toEqual(xs.map((x) => x.v === null));
          const reported = shares.filter((sh): sh is number => sh !== null);
          if (reported.length === 0) return;
          const total = xs.reduce((a, x) => a + (x.v?.n ?? 0n), 0n);
          if (method === 'sum' && total === 0n) {
            expect(reported.every((sh) => sh === 0)).toBe(true);
            return;
          }
          const sum = reported.reduce((a, b) => a + b, 0);
          const scale = method === 'sum' ? reported.reduce((a, b) => a + Math.abs(b), 0) : 1;
          expect(Math.abs(sum - 1)).toBeLessThanOrEqual(1e-9 * Math.max(1, scale));
        },
      ),
    );
  });
});
