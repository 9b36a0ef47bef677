import { describe, expect, it } from 'vitest';
import { daysOverdue, missingListPeriods, overdueLabel, periodsContaining } from './missing-values';

const settings = { daysBefore: 3, graceDays: 2 };

describe('missingListPeriods', () => {
  it('early in a month: the periods that just closed only', () => {
    expect(missingListPeriods('2026-12-06', 1, settings)).toEqual([
      { cadence: 'month', periodStart: '2026-11-01', lastDay: '2026-11-30', dueDate: '2026-12-02' },
      {
        cadence: 'quarter',
        periodStart: '2026-07-01',
        lastDay: '2026-09-30',
        dueDate: '2026-10-02',
      },
      { cadence: 'year', periodStart: '2025-01-01', lastDay: '2025-12-31', dueDate: '2026-01-02' },
    ]);
  });

  it('from the first reminder on, the open period too (fiscal quarters and years)', () => {
    const got = missingListPeriods('2026-12-28', 4, settings);
    expect(got.filter((p) => p.cadence === 'month').map((p) => p.periodStart)).toEqual([
      '2026-11-01',
      '2026-12-01',
    ]);
    // Fiscal year from April: Q3 is Oct-Dec, the open one; the year ends in March.
    expect(got.filter((p) => p.cadence === 'quarter').map((p) => p.periodStart)).toEqual([
      '2026-07-01',
      '2026-10-01',
    ]);
    expect(got.filter((p) => p.cadence === 'year').map((p) => p.periodStart)).toEqual([
      '2025-04-01',
    ]);
    // The day before the first reminder: not yet.
    expect(
      missingListPeriods('2026-12-27', 4, settings).filter((p) => p.cadence === 'month'),
    ).toHaveLength(1);
  });
});

describe('periodsContaining', () => {
  it('the month, quarter and year of a day, with due dates', () => {
    expect(periodsContaining('2026-02-10', 1, 5)).toEqual([
      { cadence: 'month', periodStart: '2026-02-01', lastDay: '2026-02-28', dueDate: '2026-03-05' },
      {
        cadence: 'quarter',
        periodStart: '2026-01-01',
        lastDay: '2026-03-31',
        dueDate: '2026-04-05',
      },
      { cadence: 'year', periodStart: '2026-01-01', lastDay: '2026-12-31', dueDate: '2027-01-05' },
    ]);
  });
});

describe('days overdue', () => {
  it.each([
    ['2026-12-06', '2026-12-02', 4, '4 days overdue'],
    ['2026-12-03', '2026-12-02', 1, '1 day overdue'],
    ['2026-12-02', '2026-12-02', 0, 'due today'],
    ['2026-12-01', '2026-12-02', -1, 'due in 1 day'],
    ['2026-11-28', '2026-12-02', -4, 'due in 4 days'],
  ])('on %s, due %s: %i (%s)', (today, due, days, label) => {
    expect(daysOverdue(today, due)).toBe(days);
    expect(overdueLabel(days)).toBe(label);
  });
});
