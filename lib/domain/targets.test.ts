import { describe, expect, it } from 'vitest';
import { strandedTargets, targetPeriodProblem } from '@/lib/domain/targets';

describe('targetPeriodProblem', () => {
  it('accepts the first day of a period of the cadence', () => {
    expect(targetPeriodProblem('2026-03-01', 'month', 1)).toBeNull();
    expect(targetPeriodProblem('2026-04-01', 'quarter', 1)).toBeNull();
    expect(targetPeriodProblem('2026-04-01', 'year', 4)).toBeNull();
  });

  it('names the period start to choose instead, with its label', () => {
    expect(targetPeriodProblem('2026-03-15', 'month', 1)).toEqual({
      message: '2026-03-15 does not start a month of this KPI.',
      fieldErrors: {
        periodStart: ['Choose the first day of a month, such as 2026-03-01 (Mar 2026)'],
      },
    });
    expect(targetPeriodProblem('2026-01-01', 'year', 4)?.fieldErrors).toEqual({
      periodStart: ['Choose the first day of a year, such as 2025-04-01 (FY2026)'],
    });
    expect(targetPeriodProblem('2026-02-01', 'quarter', 1)?.message).toBe(
      '2026-02-01 does not start a quarter of this KPI.',
    );
  });
});

describe('strandedTargets', () => {
  const overrides = [
    { periodStart: '2026-01-01', target: '10.50' },
    { periodStart: '2026-02-01', target: '20' },
    { periodStart: '2026-04-01', target: '30.0' },
  ];

  it('keeps the overrides that no longer start a period, targets normalized', () => {
    expect(strandedTargets(overrides, 'quarter', 1)).toEqual([
      { periodStart: '2026-02-01', target: '20' },
    ]);
    expect(strandedTargets(overrides, 'year', 1)).toEqual([
      { periodStart: '2026-02-01', target: '20' },
      { periodStart: '2026-04-01', target: '30' },
    ]);
  });

  it('strands nothing when every override still starts a period', () => {
    expect(strandedTargets(overrides, 'month', 1)).toEqual([]);
  });
});
