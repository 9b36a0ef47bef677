import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TIME_AGGREGATIONS } from '@/lib/domain/aggregation';
import type { TimeAggregation } from '@/lib/domain/aggregation';
import { decCompare } from '@/lib/domain/decimal';
import {
  DEFAULT_THRESHOLDS,
  DIRECTIONS,
  STATUSES,
  evaluatePeriod,
  parseMinElapsed,
  progressAgainst,
  referenceTarget,
  statusFor,
} from '@/lib/domain/progress';
import type { Direction, EvaluatePeriodInput } from '@/lib/domain/progress';
import { scaledDecimal } from '@/lib/domain/test-arbitraries';

const p = (
  direction: Direction,
  actual: string,
  reference: string,
  baseline: string | null = null,
  timeAggregation: TimeAggregation = 'last',
) => progressAgainst({ actual, reference, direction, baseline, timeAggregation });

describe('vocabulary', () => {
  it('has the documented directions, statuses and default thresholds', () => {
    expect(DIRECTIONS).toEqual(['increase', 'decrease']);
    expect(STATUSES).toEqual(['on_track', 'at_risk', 'off_track', 'in_progress', 'no_data']);
    expect(DEFAULT_THRESHOLDS).toEqual({ green: 1.0, amber: 0.85, minElapsed: 0.3333 });
    expect(Object.isFrozen(DEFAULT_THRESHOLDS)).toBe(true);
  });
});

describe('progressAgainst: increase', () => {
  it.each([
    // actual / R
    ['50', '100', null, 0.5],
    ['100', '100', null, 1],
    ['120', '100', null, 1.2],
    ['0', '100', null, 0],
    ['-10', '100', null, -0.1],
    ['1', '3', null, 1 / 3],
    // R <= 0: 1 on the good side (actual >= R), else 0
    ['0', '0', null, 1],
    ['5', '0', null, 1],
    ['-1', '0', null, 0],
    ['-5', '-10', null, 1],
    ['-10', '-10', null, 1],
    ['-20', '-10', null, 0],
    // (actual - B) / (R - B)
    ['150', '200', '100', 0.5],
    ['100', '200', '100', 0],
    ['50', '200', '100', -0.5],
    ['200', '200', '100', 1],
    ['250', '200', '100', 1.5],
    ['-5', '0', '-10', 0.5],
    // R - B = 0
    ['200', '200', '200', 1],
    ['201', '200', '200', 1],
    ['199', '200', '200', 0],
    // R - B < 0 (baseline above the target)
    ['250', '200', '300', 1],
    ['200', '200', '300', 1],
    ['150', '200', '300', 0],
  ] as const)('actual %s, R %s, baseline %s -> %d', (actual, reference, baseline, expected) => {
    expect(p('increase', actual, reference, baseline)).toBe(expected);
  });
});

describe('progressAgainst: decrease', () => {
  it.each([
    // R / actual
    ['5', '3', null, 0.6],
    ['3', '3', null, 1],
    ['2', '3', null, 1.5],
    ['4', '0', null, 0],
    // actual <= 0: 1 on the good side (actual <= R), else 0
    ['0', '3', null, 1],
    ['0', '0', null, 1],
    ['0', '-1', null, 0],
    ['-2', '3', null, 1],
    ['-2', '-2', null, 1],
    ['-1', '-2', null, 0],
    // (B - actual) / (B - R): churn from 5% down to 3%
    ['4', '3', '5', 0.5],
    ['3', '3', '5', 1],
    ['2', '3', '5', 1.5],
    ['5', '3', '5', 0],
    ['6', '3', '5', -0.5],
    // B - R = 0
    ['3', '3', '3', 1],
    ['2.9', '3', '3', 1],
    ['3.1', '3', '3', 0],
    // B - R < 0 (baseline already below the target)
    ['3', '3', '2', 1],
    ['2.5', '3', '2', 1],
    ['4', '3', '2', 0],
  ] as const)('actual %s, R %s, baseline %s -> %d', (actual, reference, baseline, expected) => {
    expect(p('decrease', actual, reference, baseline)).toBe(expected);
  });
});

describe('progressAgainst: the baseline applies to last and average KPIs only', () => {
  it.each([
    ['increase', 'last', 0.5],
    ['increase', 'average', 0.5],
    ['increase', 'sum', 0.75],
  ] as const)('%s %s: actual 150, R 200, B 100 -> %d', (direction, agg, expected) => {
    expect(p(direction, '150', '200', '100', agg)).toBe(expected);
  });

  it.each([
    ['last', 0.5],
    ['average', 0.5],
    ['sum', 0.75],
  ] as const)('decrease %s: actual 4, R 3, B 5 -> %d', (agg, expected) => {
    expect(p('decrease', '4', '3', '5', agg)).toBe(expected);
  });

  it('computes exactly, without float drift', () => {
    expect(p('increase', '0.3', '0.1', '0', 'average')).toBe(3);
    expect(p('increase', '0.3', '0.3')).toBe(1);
    expect(p('decrease', '0.1', '0.3')).toBe(3);
  });

  it('never reports 1 (reached) for an actual just short of a huge target', () => {
    const short = p('increase', '99999999999999.999998', '99999999999999.999999');
    expect(short).toBeLessThan(1);
    expect(short).toBeGreaterThan(0.999999);
    expect(p('decrease', '99999999999999.999999', '99999999999999.999998')).toBeLessThan(1);
  });

  it('throws on a non-numeric input', () => {
    expect(() => p('increase', 'NaN', '1')).toThrow(RangeError);
    expect(() => p('increase', '1', 'Infinity')).toThrow(RangeError);
  });

  it('progress >= 1 exactly when the actual is on the good side of R', () => {
    fc.assert(
      fc.property(
        scaledDecimal(),
        scaledDecimal(),
        fc.option(scaledDecimal(), { nil: null }),
        fc.constantFrom(...DIRECTIONS),
        fc.constantFrom(...TIME_AGGREGATIONS),
        (a, r, b, direction, agg) => {
          const progress = p(direction, a.s, r.s, b?.s ?? null, agg);
          const good = direction === 'increase' ? a.n >= r.n : a.n <= r.n;
          expect(Number.isFinite(progress)).toBe(true);
          expect(progress >= 1).toBe(good);
        },
      ),
    );
  });

  it('is monotone in the actual: a better actual never gets less progress', () => {
    fc.assert(
      fc.property(
        scaledDecimal(10n ** 12n),
        scaledDecimal(10n ** 12n),
        scaledDecimal(10n ** 12n),
        fc.option(scaledDecimal(10n ** 12n), { nil: null }),
        (a1, a2, r, b) => {
          // with a positive denominator progress rises with the actual for 'increase'
          const [lo, hi] = a1.n <= a2.n ? [a1, a2] : [a2, a1];
          if (b !== null ? r.n <= b.n : r.n <= 0n) return;
          const pLo = p('increase', lo.s, r.s, b?.s ?? null);
          const pHi = p('increase', hi.s, r.s, b?.s ?? null);
          expect(pHi).toBeGreaterThanOrEqual(pLo);
        },
      ),
    );
  });
});

describe('referenceTarget', () => {
  it.each([
    ['3100', 'sum', true, 0.5, '1550'],
    ['3100', 'sum', true, 16 / 31, '1600'],
    ['3100', 'sum', true, 1 / 31, '100'],
    ['3000', 'sum', true, 1 / 3, '1000'],
    ['100', 'sum', true, 1 / 3, '33.3333333333'],
    ['100', 'sum', true, 1, '100'],
    ['100', 'sum', true, 0, '0'],
    ['-90', 'sum', true, 1 / 3, '-30'],
    // closed or future period: the full target
    ['3100', 'sum', false, 1, '3100'],
    ['3100', 'sum', false, 0, '3100'],
    // levels and rates are never pro-rated
    ['3100', 'last', true, 0.5, '3100'],
    ['3100', 'average', true, 0.5, '3100'],
    ['1.50', 'last', false, 1, '1.5'],
  ] as const)(
    'target %s, %s, open %s, elapsed %d -> %s',
    (target, agg, open, elapsed, expected) => {
      expect(referenceTarget({ target, timeAggregation: agg, isOpenPeriod: open, elapsed })).toBe(
        expected,
      );
    },
  );

  it.each([-0.1, 1.1, NaN, Infinity])('refuses an elapsed fraction of %d for an open sum', (e) => {
    expect(() =>
      referenceTarget({ target: '10', timeAggregation: 'sum', isOpenPeriod: true, elapsed: e }),
    ).toThrow(RangeError);
  });
});

describe('statusFor', () => {
  it.each([
    [null, 'no_data'],
    [NaN, 'no_data'],
    [1, 'on_track'],
    [1.2, 'on_track'],
    [0.9999999999999999, 'at_risk'],
    [0.99, 'at_risk'],
    [0.85, 'at_risk'],
    [0.8499, 'off_track'],
    [0, 'off_track'],
    [-1, 'off_track'],
  ] as const)('%d with default thresholds -> %s', (progress, status) => {
    expect(statusFor(progress, DEFAULT_THRESHOLDS)).toBe(status);
  });

  it.each([
    [0.9, 'on_track'],
    [0.89, 'at_risk'],
    [0.7, 'at_risk'],
    [0.69, 'off_track'],
  ] as const)('%d with thresholds 0.9 / 0.7 -> %s', (progress, status) => {
    expect(statusFor(progress, { green: 0.9, amber: 0.7 })).toBe(status);
  });

  it('is monotone: more progress never gives a worse status', () => {
    const rank = { on_track: 2, at_risk: 1, off_track: 0, in_progress: -1, no_data: -1 } as const;
    fc.assert(
      fc.property(fc.double({ noNaN: true }), fc.double({ noNaN: true }), (x, y) => {
        const [lo, hi] = x <= y ? [x, y] : [y, x];
        expect(rank[statusFor(hi, DEFAULT_THRESHOLDS)]).toBeGreaterThanOrEqual(
          rank[statusFor(lo, DEFAULT_THRESHOLDS)],
        );
      }),
    );
  });

  it('a progress computed as exactly 85% is at risk, not off track', () => {
    expect(statusFor(p('increase', '85', '100'), DEFAULT_THRESHOLDS)).toBe('at_risk');
    expect(statusFor(p('increase', '0.85', '1'), DEFAULT_THRESHOLDS)).toBe('at_risk');
  });
});

describe('evaluatePeriod', () => {
  const base: EvaluatePeriodInput = {
    actual: '1600',
    target: '3100',
    baseline: null,
    direction: 'increase',
    timeAggregation: 'sum',
    periodStart: '2026-03-01',
    cadence: 'month',
    today: '2026-03-16',
    thresholds: DEFAULT_THRESHOLDS,
  };

  it('judges a sum KPI in the open period against its pace', () => {
    const result = evaluatePeriod(base);
    expect(result.target).toBe('3100');
    expect(result.reference).toBe('1600');
    expect(result.paceProgress).toBe(1);
    expect(result.share).toBeCloseTo(1600 / 3100, 12);
    expect(result.status).toBe('on_track');
  });

  it('is at risk when behind pace but within the amber band', () => {
    const result = evaluatePeriod({ ...base, actual: '1400' });
    expect(result.paceProgress).toBe(0.875);
    expect(result.status).toBe('at_risk');
  });

  it('is off track well behind pace', () => {
    expect(evaluatePeriod({ ...base, actual: '1000' }).status).toBe('off_track');
  });

  it('uses the full target once the period has closed', () => {
    const result = evaluatePeriod({ ...base, today: '2026-04-05' });
    expect(result.reference).toBe('3100');
    expect(result.paceProgress).toBeCloseTo(1600 / 3100, 12);
    expect(result.share).toBe(result.paceProgress);
    expect(result.status).toBe('off_track');
  });

  it('uses the full target on the last day of the period (fully elapsed)', () => {
    const result = evaluatePeriod({ ...base, today: '2026-03-31', actual: '3100' });
    expect(result.reference).toBe('3100');
    expect(result.status).toBe('on_track');
  });

  it('never pro-rates a level (last) or a rate (average)', () => {
    for (const timeAggregation of ['last', 'average'] as const) {
      const result = evaluatePeriod({ ...base, timeAggregation });
      expect(result.reference).toBe('3100');
      expect(result.status).toBe('off_track');
    }
  });

  it('pro-rates a decreasing sum (costs) too', () => {
    const result = evaluatePeriod({
      ...base,
      direction: 'decrease',
      target: '31000',
      actual: '15000',
    });
    expect(result.reference).toBe('16000');
    expect(result.paceProgress).toBeCloseTo(16000 / 15000, 12);
    expect(result.status).toBe('on_track');
  });

  it('applies a baseline to a level KPI', () => {
    const result = evaluatePeriod({
      ...base,
      timeAggregation: 'average',
      direction: 'decrease',
      baseline: '5',
      target: '3',
      actual: '4',
    });
    // The baseline decides the status (half way from 5 down to 3); the percent shown is 4 / 3.
    expect(result.paceProgress).toBe(0.5);
    expect(result.share).toBeCloseTo(4 / 3, 12);
    expect(result.status).toBe('off_track');
  });

  it('without an actual: no_data, but target and reference are kept', () => {
    expect(evaluatePeriod({ ...base, actual: null })).toEqual({
      target: '3100',
      reference: '1600',
      share: null,
      paceProgress: null,
      status: 'no_data',
    });
  });

  it('without a target: no_data and no progress (the actual stays the caller’s to show)', () => {
    expect(evaluatePeriod({ ...base, target: null })).toEqual({
      target: null,
      reference: null,
      share: null,
      paceProgress: null,
      status: 'no_data',
    });
  });

  it('normalizes the target string', () => {
    expect(evaluatePeriod({ ...base, target: '3100.000000', today: '2026-05-01' }).target).toBe(
      '3100',
    );
  });

  it('a future period is judged against the full target', () => {
    const result = evaluatePeriod({ ...base, today: '2026-02-10' });
    expect(result.reference).toBe('3100');
  });

  it('status always equals statusFor(paceProgress), and pace never exceeds the full target', () => {
    fc.assert(
      fc.property(
        fc.option(scaledDecimal(10n ** 12n), { nil: null }),
        fc.option(scaledDecimal(10n ** 12n), { nil: null }),
        fc.constantFrom(...TIME_AGGREGATIONS),
        fc.constantFrom(...DIRECTIONS),
        fc.integer({ min: -40, max: 120 }),
        (actual, target, timeAggregation, direction, day) => {
          const today = new Date(Date.UTC(2026, 0, 1 + day)).toISOString().slice(0, 10);
          const result = evaluatePeriod({
            ...base,
            actual: actual?.s ?? null,
            target: target?.s ?? null,
            timeAggregation,
            direction,
            periodStart: '2026-01-01',
            cadence: 'quarter',
            today,
          });
          // Q1 2026 has 90 days: a flow is ungraded through day 29 (29/90 < 0.3333), graded from 30.
          const ungraded = timeAggregation === 'sum' && day >= 0 && day < 29;
          if (actual === null || target === null) expect(result.status).toBe('no_data');
          else if (ungraded) expect(result.status).toBe('in_progress');
          else expect(result.status).toBe(statusFor(result.paceProgress, DEFAULT_THRESHOLDS));
          if (result.reference !== null && result.target !== null && target && target.n >= 0n) {
            expect(decCompare(result.reference, result.target)).toBeLessThanOrEqual(0);
          }
        },
      ),
    );
  });
});

describe('evaluatePeriod: in progress until the minimum elapsed share', () => {
  // December 2026 has 31 days: day d has elapsed d/31; one third (0.3333) passes on day 11.
  const flow: EvaluatePeriodInput = {
    actual: '130',
    target: '1000',
    baseline: null,
    direction: 'increase',
    timeAggregation: 'sum',
    periodStart: '2026-12-01',
    cadence: 'month',
    today: '2026-12-05',
    thresholds: DEFAULT_THRESHOLDS,
  };

  it('shows a flow early in its open period as in progress, with its pace', () => {
    const result = evaluatePeriod(flow);
    expect(result.status).toBe('in_progress');
    expect(result.reference).toBe('161.2903225806');
    expect(result.paceProgress).toBeCloseTo(130 / (1000 * (5 / 31)), 8);
    expect(result.share).toBe(0.13);
  });

  it('before, at and after the share: in progress on day 10, graded from day 11', () => {
    expect(evaluatePeriod({ ...flow, today: '2026-12-10' }).status).toBe('in_progress');
    expect(evaluatePeriod({ ...flow, today: '2026-12-11' }).status).toBe('off_track');
    expect(evaluatePeriod({ ...flow, today: '2026-12-11', actual: '340' }).status).toBe('at_risk');
    expect(evaluatePeriod({ ...flow, today: '2026-12-20', actual: '700' }).status).toBe('on_track');
    // Exactly at the share: graded (the share has elapsed). 30-day month, share 0.3: day 9 is
    // 0.3 and graded, day 8 (0.2667) is not.
    const november = {
      ...flow,
      periodStart: '2026-11-01',
      thresholds: { ...DEFAULT_THRESHOLDS, minElapsed: 0.3 },
    };
    expect(evaluatePeriod({ ...november, today: '2026-11-08' }).status).toBe('in_progress');
    expect(evaluatePeriod({ ...november, today: '2026-11-09' }).status).toBe('off_track');
  });

  it('is never red or amber, even far behind pace, and not green ahead of it either', () => {
    expect(evaluatePeriod({ ...flow, actual: '0' }).status).toBe('in_progress');
    expect(evaluatePeriod({ ...flow, actual: '5000' }).status).toBe('in_progress');
    expect(evaluatePeriod({ ...flow, direction: 'decrease', actual: '900' }).status).toBe(
      'in_progress',
    );
  });

  it('grades levels and rates (last, average) from day one', () => {
    for (const timeAggregation of ['last', 'average'] as const) {
      expect(evaluatePeriod({ ...flow, timeAggregation }).status).toBe('off_track');
      expect(evaluatePeriod({ ...flow, timeAggregation, actual: '1000' }).status).toBe('on_track');
    }
  });

  it('grades closed periods against the full target', () => {
    expect(evaluatePeriod({ ...flow, periodStart: '2026-11-01' }).status).toBe('off_track');
    expect(evaluatePeriod({ ...flow, periodStart: '2026-11-01', actual: '1000' }).status).toBe(
      'on_track',
    );
  });

  it('without a value stays no data, and a share of 0 grades from the first day', () => {
    expect(evaluatePeriod({ ...flow, actual: null }).status).toBe('no_data');
    const now = { ...DEFAULT_THRESHOLDS, minElapsed: 0 };
    expect(evaluatePeriod({ ...flow, thresholds: now }).status).toBe('off_track');
  });

  it('a night with no new data changes no status within the first share', () => {
    // Same data every night of the first share: the status never moves with the clock.
    fc.assert(
      fc.property(
        fc.option(scaledDecimal(10n ** 9n), { nil: null }),
        scaledDecimal(10n ** 9n),
        fc.constantFrom(...DIRECTIONS),
        fc.integer({ min: 1, max: 9 }),
        (actual, target, direction, day) => {
          const on = (d: number) =>
            evaluatePeriod({
              ...flow,
              actual: actual?.s ?? null,
              target: target.s,
              direction,
              today: `2026-12-${String(d).padStart(2, '0')}`,
            }).status;
          expect(on(day + 1)).toBe(on(day));
        },
      ),
    );
  });

  it('a night with no new data changes a level only when its period closes', () => {
    const level = { ...flow, timeAggregation: 'last' as const, actual: '900' };
    const statusOn = (today: string) => evaluatePeriod({ ...level, today }).status;
    expect(statusOn('2026-12-05')).toBe(statusOn('2026-12-06'));
    // A closed period's status is final: the night after it closed changes nothing either.
    const closed = { ...flow, periodStart: '2026-11-01' };
    expect(evaluatePeriod({ ...closed, today: '2026-12-05' }).status).toBe(
      evaluatePeriod({ ...closed, today: '2026-12-06' }).status,
    );
  });
});

describe('parseMinElapsed', () => {
  it.each([
    ['0.3333', 0.3333],
    ['0', 0],
    ['0.0000', 0],
    ['0.9999', 0.9999],
  ])('reads %s', (raw, share) => {
    expect(parseMinElapsed(raw)).toBe(share);
  });
  it.each(['1', '1.0000', '-0.1', '', 'abc', 'NaN', '0.3.3'])('refuses %s', (raw) => {
    expect(() => parseMinElapsed(raw)).toThrow(RangeError);
  });
});
