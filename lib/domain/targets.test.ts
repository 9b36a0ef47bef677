import { describe, expect, it } from 'vitest';
import { strandedTargets, targetPeriodProblem } from '@/lib/domain/targets';

describe('targetPeriodProblem', () => {
  it('accepts the first day of a period of the cadence', () => {
    expect(targetPeriodProblem('2026-03-01', 'month', 1, 'en-US')).toBeNull();
    expect(targetPeriodProblem('2026-04-01', 'quarter', 1, 'en-US')).toBeNull();
    expect(targetPeriodProblem('2026-04-01', 'year', 4, 'en-US')).toBeNull();
  });

  it('names the period start to choose instead, with its label', () => {
    expect(targetPeriodProblem('2026-03-15', 'month', 1, 'en-US')).toEqual({
      message: '2026-03-15 does not start a month of this KPI.',
      fieldErrors: {
        periodStart: ['Choose the first day of a month, such as 2026-03-01 (Mar 2026)'],
      },
    });
    expect(targetPeriodProblem('2026-01-01', 'year', 4, 'en-US')?.fieldErrors).toEqual({
      periodStart: ['Choose the first day of a year, such as 2025-04-01 (FY2026)'],
    });
    expect(targetPeriodProblem('2026-02-01', 'quarter', 1, 'en-US')?.message).toBe(
      '2026-02-01 does not start a quarter of this KPI.',
    );
  });

  it("labels the period to choose in the organization's locale", () => {
    expect(targetPeriodProblem('2026-12-15', 'month', 1, 'de-DE')?.fieldErrors).toEqual({
      periodStart: ['Choose the first day of a month, such as 2026-12-01 (Dez. 2026)'],
    });
    expect(targetPeriodProblem('2026-02-01', 'quarter', 1, 'fr-FR')?.fieldErrors).toEqual({
      periodStart: ['Choose the first day of a quarter, such as 2026-01-01 (T1 EX2026)'],
    });
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
