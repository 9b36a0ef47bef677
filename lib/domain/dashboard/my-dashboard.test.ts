import { describe, expect, it } from 'vitest';
import { measureOf, toMyDashboardDto, type CheckinDue } from './my-dashboard';
import type { DashboardPeriod } from './periods';
import type { MemberTarget, PeriodView } from './types';

const current: DashboardPeriod = {
  key: 'month-2026-11-01',
  cadence: 'month',
  start: '2026-11-01',
  label: 'Nov 2026',
  isCurrent: true,
  asOf: '2026-11-17',
};
const past: DashboardPeriod = { ...current, key: 'month-2026-10-01', isCurrent: false };

function view(over: Partial<PeriodView> = {}): PeriodView {
  return {
    start: '2026-11-01',
    label: 'Nov 2026',
    value: '40',
    target: '100',
    share: 0.4,
    paceProgress: 0.7,
    status: 'at_risk',
    childrenReported: 0,
    childrenExpected: 0,
    ...over,
  };
}

function target(id: string, over: Partial<MemberTarget> = {}): MemberTarget {
  return {
    id,
    name: `KPI ${id}`,
    unitId: 'u',
    unitName: 'Sales',
    ownerUserId: 'me',
    ownerName: 'Me',
    parentId: null,
    isIndividual: false,
    isNorthStar: false,
    category: 'operational',
    indicator: 'lagging',
    measureUnit: 'currency',
    currency: 'EUR',
    decimals: 2,
    direction: 'increase',
    cadence: 'month',
    timeAggregation: 'sum',
    rollup: 'manual',
    archivedOn: null,
    current: view({ value: '41', target: '110' }),
    view: view(),
    line: [{ id: 'top', name: 'Revenue', isNorthStar: true }],
    ...over,
  };
}

describe('measureOf', () => {
  it('keeps the measure alone', () => {
    expect(measureOf(target('a'))).toEqual({
      measureUnit: 'currency',
      currency: 'EUR',
      decimals: 2,
    });
  });
});

describe('toMyDashboardDto', () => {
  it('maps a target to the client row with its period view and line', () => {
    const dto = toMyDashboardDto(
      current,
      '2026-11-17',
      { targets: [target('a')], targetCount: 9 },
      [],
    );
    expect(dto.period).toEqual({ key: 'month-2026-11-01', label: 'Nov 2026', isCurrent: true });
    expect(dto.today).toBe('2026-11-17');
    expect(dto.targetCount).toBe(9);
    expect(dto.targets).toEqual([
      {
        kpiId: 'a',
        name: 'KPI a',
        unitName: 'Sales',
        isIndividual: false,
        isNorthStar: false,
        periodLabel: 'Nov 2026',
        periodStart: '2026-11-01',
        value: '40',
        target: '100',
        measure: { measureUnit: 'currency', currency: 'EUR', decimals: 2 },
        timeAggregation: 'sum',
        share: 0.4,
        paceProgress: 0.7,
        status: 'at_risk',
        showPace: true,
        coverage: null,
        line: [{ id: 'top', name: 'Revenue', isNorthStar: true }],
      },
    ]);
    expect(dto.targets[0]).not.toHaveProperty('ownerUserId');
  });

  it('carries the dashboard’s projection of the period when there is one', () => {
    const projected = { value: '95', share: 0.95, status: 'at_risk' as const };
    const dto = toMyDashboardDto(
      current,
      '2026-11-17',
      { targets: [target('a', { projected }), target('b')], targetCount: 2 },
      [],
    );
    expect(dto.targets[0]!.projected).toEqual(projected);
    expect(dto.targets[1]).not.toHaveProperty('projected');
  });

  it('shows pace only for a sum in the current period that has started and has a pace', () => {
    const pace = (p: DashboardPeriod, t: MemberTarget, today = '2026-11-17') =>
      toMyDashboardDto(p, today, { targets: [t], targetCount: 1 }, []).targets[0]!.showPace;
    expect(pace(current, target('a'))).toBe(true);
    expect(pace(past, target('a'))).toBe(false);
    expect(pace(current, target('a', { timeAggregation: 'last' }))).toBe(false);
    expect(pace(current, target('a', { view: view({ paceProgress: null }) }))).toBe(false);
    expect(pace(current, target('a'), '2026-10-31')).toBe(false);
  });

  it('shows coverage for computed KPIs expecting children', () => {
    const cov = (t: MemberTarget) =>
      toMyDashboardDto(current, '2026-11-17', { targets: [t], targetCount: 1 }, []).targets[0]!
        .coverage;
    const computed = { rollup: 'sum' as const };
    expect(
      cov(target('a', { ...computed, view: view({ childrenReported: 2, childrenExpected: 3 }) })),
    ).toBe('2 of 3 reported');
    expect(cov(target('a', { ...computed, view: view({ childrenExpected: 0 }) }))).toBeNull();
    expect(
      cov(target('a', { view: view({ childrenReported: 2, childrenExpected: 3 }) })),
    ).toBeNull();
  });

  it("maps check-ins due to rows in the KPI's own current period, dropping unknown KPIs", () => {
    const inPeriod = { id: 'c1', value: '41', observedOn: '2026-11-10', version: 3 };
    const due: CheckinDue[] = [
      { kpiId: 'a', last: inPeriod, inPeriod },
      { kpiId: 'b', last: null, inPeriod: null },
      { kpiId: 'not-mine', last: null, inPeriod: null },
    ];
    const dto = toMyDashboardDto(
      past,
      '2026-11-17',
      { targets: [target('a'), target('b')], targetCount: 2 },
      due,
    );
    expect(dto.checkins).toEqual([
      {
        kpiId: 'a',
        name: 'KPI a',
        periodLabel: 'Nov 2026',
        periodStart: '2026-11-01',
        measure: { measureUnit: 'currency', currency: 'EUR', decimals: 2 },
        timeAggregation: 'sum',
        periodValue: '41',
        target: '110',
        last: { value: '41', observedOn: '2026-11-10' },
        inPeriod,
      },
      expect.objectContaining({ kpiId: 'b', last: null, inPeriod: null }),
    ]);
  });
});
