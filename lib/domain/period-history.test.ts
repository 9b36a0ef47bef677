import { describe, expect, it } from 'vitest';
import { HISTORY_PERIODS, recentPeriodStarts } from './period-history';

describe('recentPeriodStarts', () => {
  it('reads a year of months, two years of quarters and five years by default', () => {
    expect(HISTORY_PERIODS).toEqual({ month: 12, quarter: 8, year: 5 });
    const months = recentPeriodStarts('2026-03-01', 'month');
    expect(months).toHaveLength(12);
    expect(months[0]).toBe('2025-04-01');
    expect(months.at(-1)).toBe('2026-03-01');
    expect(recentPeriodStarts('2026-04-01', 'quarter')).toEqual([
      '2024-07-01',
      '2024-10-01',
      '2025-01-01',
      '2025-04-01',
      '2025-07-01',
      '2025-10-01',
      '2026-01-01',
      '2026-04-01',
    ]);
    expect(recentPeriodStarts('2026-07-01', 'year')).toEqual([
      '2022-07-01',
      '2023-07-01',
      '2024-07-01',
      '2025-07-01',
      '2026-07-01',
    ]);
  });

  it('takes an explicit count, oldest first, across a year boundary', () => {
    expect(recentPeriodStarts('2026-02-01', 'month', 3)).toEqual(['2025-12-01', '2026-01-01', '2026-02-01']);
  });

  it('always returns at least the current period', () => {
    expect(recentPeriodStarts('2026-02-01', 'month', 1)).toEqual(['2026-02-01']);
    expect(recentPeriodStarts('2026-02-01', 'month', 0)).toEqual(['2026-02-01']);
  });

  it('refuses a start that is not the first of a month, like previousPeriodStart', () => {
    expect(() => recentPeriodStarts('2026-02-15', 'month', 2)).toThrow();
  });
});
