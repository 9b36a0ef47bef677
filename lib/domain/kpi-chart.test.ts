import { describe, expect, it } from 'vitest';
import { actualVsTargetPoints, firstExistingPeriod } from '@/lib/domain/kpi-chart';

describe('firstExistingPeriod', () => {
  it('is the period of the creation date for a new KPI without earlier values', () => {
    expect(
      firstExistingPeriod({
        createdOn: '2026-11-20',
        firstValueStart: '2026-12-01',
        cadence: 'month',
        fyStartMonth: 1,
      }),
    ).toBe('2026-11-01');
    expect(
      firstExistingPeriod({
        createdOn: '2026-11-20',
        firstValueStart: null,
        cadence: 'quarter',
        fyStartMonth: 4,
      }),
    ).toBe('2026-10-01');
  });

  it('goes back to the first value when history was recorded before the KPI was created', () => {
    expect(
      firstExistingPeriod({
        createdOn: '2026-12-05',
        firstValueStart: '2024-01-01',
        cadence: 'month',
        fyStartMonth: 1,
      }),
    ).toBe('2024-01-01');
  });
});

describe('actualVsTargetPoints', () => {
  const history = [
    { start: '2026-09-01', label: 'Sep 2026', value: null, target: '100' },
    { start: '2026-10-01', label: 'Oct 2026', value: null, target: '100' },
    { start: '2026-11-01', label: 'Nov 2026', value: '80.5000000000', target: '100.000000' },
    { start: '2026-12-01', label: 'Dec 2026', value: null, target: '120' },
  ];

  it('draws targets only from the period the KPI existed in', () => {
    expect(actualVsTargetPoints(history, '2026-11-01')).toEqual([
      { period: 'Sep 2026', Actual: null, Target: null },
      { period: 'Oct 2026', Actual: null, Target: null },
      { period: 'Nov 2026', Actual: 80.5, Target: 100 },
      { period: 'Dec 2026', Actual: null, Target: 120 },
    ]);
  });

  it('draws every target for a KPI older than the window', () => {
    expect(actualVsTargetPoints(history, '2020-01-01').map((p) => p.Target)).toEqual([
      100, 100, 100, 120,
    ]);
  });
});
