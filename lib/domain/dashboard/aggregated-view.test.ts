import { describe, expect, it } from 'vitest';
import { DEFAULT_THRESHOLDS } from '@/lib/domain/progress';
import { aggregatedView, combinedTarget, type AggregatedKpi } from './aggregated-view';
import type { DashboardPeriod } from './periods';

describe('combinedTarget', () => {
  it('sums targets for a sum and averages them for an average', () => {
    expect(combinedTarget({ timeAggregation: 'sum' }, ['10', '20', '30.5'], 2)).toBe('60.5');
    expect(combinedTarget({ timeAggregation: 'average' }, ['10', '20', '40'], 2)).toBe(
      '23.3333333333',
    );
  });

  it('is unknown for a sum or an average when any target is missing, or none is given', () => {
    expect(combinedTarget({ timeAggregation: 'sum' }, ['10', null, '30'], 2)).toBeNull();
    expect(combinedTarget({ timeAggregation: 'average' }, [null], 0)).toBeNull();
    expect(combinedTarget({ timeAggregation: 'last' }, [], 0)).toBeNull();
  });

  it('takes the target of the last started period for a last, the first before any started', () => {
    expect(combinedTarget({ timeAggregation: 'last' }, ['1', '2', '3'], 1)).toBe('2');
    expect(combinedTarget({ timeAggregation: 'last' }, ['1', null, '3'], 1)).toBeNull();
    expect(combinedTarget({ timeAggregation: 'last' }, ['1', '2', '3'], -1)).toBe('1');
  });
});

describe('aggregatedView', () => {
  const quarter: DashboardPeriod = {
    key: 'quarter-2026-01-01',
    cadence: 'quarter',
    start: '2026-01-01',
    label: 'Q1 FY2026',
    isCurrent: false,
    asOf: '2026-03-31',
  };
  const kpi: AggregatedKpi = {
    timeAggregation: 'sum',
    baseline: null,
    direction: 'increase',
    current: { childrenExpected: 4 },
  };
  const stored = (value: string, childrenReported = 0, childrenExpected = 0) => ({
    value,
    childrenReported,
    childrenExpected,
  });

  it('adds three months into the quarter and judges the sum against the summed target', () => {
    const v = aggregatedView(
      kpi,
      quarter,
      [
        { start: '2026-01-01', stored: stored('10'), target: '10' },
        { start: '2026-02-01', stored: stored('10'), target: '10' },
        { start: '2026-03-01', stored: stored('10', 2, 3), target: '20' },
      ],
      '2026-11-17',
      DEFAULT_THRESHOLDS,
    );
    expect(v).toMatchObject({
      start: '2026-01-01',
      label: 'Q1 FY2026',
      value: '30',
      target: '40',
      share: 0.75,
      status: 'off_track',
      childrenReported: 2,
      childrenExpected: 3,
    });
  });

  it('has no data without any stored value, and falls back to the current coverage', () => {
    const v = aggregatedView(
      kpi,
      quarter,
      [
        { start: '2026-01-01', stored: undefined, target: '10' },
        { start: '2026-02-01', stored: undefined, target: '10' },
      ],
      '2026-11-17',
      DEFAULT_THRESHOLDS,
    );
    expect(v).toMatchObject({
      value: null,
      status: 'no_data',
      childrenReported: 0,
      childrenExpected: 4,
    });
  });

  it('for a last: the latest value, and the target of the last period started by the as-of date', () => {
    const open = { ...quarter, isCurrent: true, asOf: '2026-02-10' };
    const v = aggregatedView(
      { ...kpi, timeAggregation: 'last' },
      open,
      [
        { start: '2026-01-01', stored: stored('5'), target: '5' },
        { start: '2026-02-01', stored: stored('8'), target: '8' },
        { start: '2026-03-01', stored: undefined, target: '100' },
      ],
      '2026-02-10',
      DEFAULT_THRESHOLDS,
    );
    expect(v).toMatchObject({ value: '8', target: '8', status: 'on_track' });
  });
});
