import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { formatProgress } from '@/lib/domain/format';
import { DEFAULT_THRESHOLDS, evaluatePeriod } from '@/lib/domain/progress';
import type { EvaluatePeriodInput } from '@/lib/domain/progress';
import { shareOfTarget } from '@/lib/domain/share';

describe('shareOfTarget', () => {
  it.each([
    ['50', '100', 0.5],
    ['100', '100', 1],
    ['250', '100', 2.5],
    ['0', '100', 0],
    ['-25', '100', -0.25],
    ['0.5', '2', 0.25],
  ] as const)('%s of %s is %d', (actual, target, share) => {
    expect(shareOfTarget(actual, target)).toBe(share);
  });

  it('is exact on decimals a float would get wrong', () => {
    // 0.3 / 0.1 is 2.9999999999999996 in floats.
    expect(shareOfTarget('0.3', '0.1')).toBe(3);
  });

  it('has no share without an actual or a target, or with a zero or negative target', () => {
    expect(shareOfTarget(null, '100')).toBeNull();
    expect(shareOfTarget('10', null)).toBeNull();
    expect(shareOfTarget('10', '0')).toBeNull();
    expect(shareOfTarget('0', '0.000')).toBeNull();
    expect(shareOfTarget('-5', '-10')).toBeNull();
    expect(shareOfTarget('5', '-10')).toBeNull();
  });

  it('keeps huge ratios finite', () => {
    const share = shareOfTarget('123456789012345678901234567890', '0.0000000001');
    expect(share).not.toBeNull();
    expect(Number.isFinite(share)).toBe(true);
    expect(share!).toBeGreaterThan(1e38);
  });

  it('is actual / target for any positive target (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -1_000_000, max: 1_000_000 }),
        fc.integer({ min: 1, max: 1_000_000 }),
        (a, t) => {
          expect(shareOfTarget(String(a), String(t))).toBeCloseTo(a / t, 12);
        },
      ),
    );
  });
});

describe('the percent people see, for both directions', () => {
  // A closed month, so status is judged against the full target.
  const closed: EvaluatePeriodInput = {
    actual: '0',
    target: '1',
    baseline: null,
    direction: 'increase',
    timeAggregation: 'sum',
    periodStart: '2026-11-01',
    cadence: 'month',
    today: '2026-12-05',
    thresholds: DEFAULT_THRESHOLDS,
  };
  const shown = (input: Partial<EvaluatePeriodInput>) => {
    const e = evaluatePeriod({ ...closed, ...input });
    return { percent: formatProgress(e.share, 'en-US'), status: e.status };
  };

  it('increase: 80% of a quota is 80% and behind', () => {
    expect(shown({ actual: '80000', target: '100000' })).toEqual({
      percent: '80%',
      status: 'off_track',
    });
    expect(shown({ actual: '120000', target: '100000' })).toEqual({
      percent: '120%',
      status: 'on_track',
    });
  });

  it('decrease: 11% of a churn budget reads 11% and is on track (it read 904% before)', () => {
    expect(shown({ direction: 'decrease', actual: '11062', target: '100000' })).toEqual({
      percent: '11%',
      status: 'on_track',
    });
  });

  it('decrease: downtime at 3.21 times its budget reads 321% and is off track', () => {
    expect(shown({ direction: 'decrease', actual: '192.6', target: '60' })).toEqual({
      percent: '321%',
      status: 'off_track',
    });
  });

  it('decrease with a baseline: the status uses the baseline, the percent does not', () => {
    // Churn rate from 5% down to 3%, now 4%: half way (off track), and 133% of the target.
    expect(
      shown({
        direction: 'decrease',
        timeAggregation: 'average',
        baseline: '5',
        target: '3',
        actual: '4',
      }),
    ).toEqual({ percent: '133%', status: 'off_track' });
  });

  it('a huge ratio is shown compactly, whichever the direction', () => {
    expect(shown({ direction: 'decrease', actual: '1500', target: '1' })).toEqual({
      percent: '>999%',
      status: 'off_track',
    });
    expect(shown({ actual: '1500', target: '1' })).toEqual({
      percent: '>999%',
      status: 'on_track',
    });
  });

  it('a zero or negative target shows no percent but still has a status', () => {
    expect(shown({ direction: 'decrease', actual: '0', target: '0' })).toEqual({
      percent: '—',
      status: 'on_track',
    });
    expect(shown({ actual: '-50', target: '-100' })).toEqual({
      percent: '—',
      status: 'on_track',
    });
  });

  it('the share is the same number for both directions (only the status differs)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 1_000_000 }),
        fc.integer({ min: 1, max: 1_000_000 }),
        (a, t) => {
          const up = evaluatePeriod({ ...closed, actual: String(a), target: String(t) });
          const down = evaluatePeriod({
            ...closed,
            direction: 'decrease',
            actual: String(a),
            target: String(t),
          });
          expect(up.share).toBe(down.share);
          if (a < t) expect(down.status).toBe('on_track');
        },
      ),
    );
  });
});
