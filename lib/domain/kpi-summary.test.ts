import { describe, expect, it } from 'vitest';
import {
  activeChildCounts,
  formulaExpectedInputs,
  periodView,
  toSummary,
  type KpiPeriodView,
  type PeriodInputs,
} from '@/lib/domain/kpi-summary';

const org = {
  fyStartMonth: 1,
  locale: 'en-US',
  greenThreshold: 1,
  amberThreshold: 0.85,
  gradingMinElapsed: 0.3333,
};
const kpi = {
  id: 'k1',
  cadence: 'month' as const,
  direction: 'increase' as const,
  timeAggregation: 'last' as const,
  baseline: null,
  defaultTarget: '100',
};
const empty = (): PeriodInputs => ({ values: new Map(), targets: new Map() });

describe('periodView', () => {
  it('shows the stored value against the default target, with status by the thresholds', () => {
    const inputs = empty();
    inputs.values.set('k1|2026-03-01', { value: '90', childrenReported: 2, childrenExpected: 3 });
    expect(periodView(org, kpi, '2026-03-01', inputs, '2026-06-15', 7)).toEqual({
      start: '2026-03-01',
      label: 'Mar 2026',
      value: '90',
      target: '100',
      share: 0.9,
      paceProgress: 0.9,
      status: 'at_risk',
      childrenReported: 2,
      childrenExpected: 3,
      targetImplied: false,
      missingInputs: [],
      noValueReason: null,
    });
  });

  it('shows a formula period without a value with its coverage, and an implied target', () => {
    const inputs: PeriodInputs = {
      ...empty(),
      formulaGaps: new Map([
        [
          'k1|2026-03-01',
          { reported: 2, expected: 3, missing: ['cs.churn'], reason: 'missing inputs' as const },
        ],
      ]),
      impliedTargets: new Map([['k1|2026-03-01', '120']]),
    };
    const formula = { ...kpi, defaultTarget: null, formula: 'a + b - cs.churn' };
    expect(periodView(org, formula, '2026-03-01', inputs, '2026-06-15', 0)).toMatchObject({
      value: null,
      target: '120',
      targetImplied: true,
      status: 'no_data',
      childrenReported: 2,
      childrenExpected: 3,
      missingInputs: ['cs.churn'],
      noValueReason: 'missing inputs',
    });
    // An own target wins over the implied one.
    inputs.targets.set('k1|2026-03-01', '110');
    expect(periodView(org, formula, '2026-03-01', inputs, '2026-06-15', 0)).toMatchObject({
      target: '110',
      targetImplied: false,
    });
  });

  it('prefers the period override to the default target', () => {
    const inputs = empty();
    inputs.values.set('k1|2026-03-01', { value: '90', childrenReported: 0, childrenExpected: 0 });
    inputs.targets.set('k1|2026-03-01', '80');
    const view = periodView(org, kpi, '2026-03-01', inputs, '2026-06-15', 0);
    expect(view.target).toBe('80');
    expect(view.status).toBe('on_track');
  });

  it('gives no_data and the expected children when nothing is stored for the period', () => {
    const inputs = empty();
    inputs.values.set('k1|2026-02-01', { value: '90', childrenReported: 0, childrenExpected: 0 });
    inputs.values.set('other|2026-03-01', { value: '1', childrenReported: 0, childrenExpected: 0 });
    const view = periodView(org, kpi, '2026-03-01', inputs, '2026-06-15', 4);
    expect(view).toMatchObject({
      value: null,
      target: '100',
      share: null,
      status: 'no_data',
      childrenReported: 0,
      childrenExpected: 4,
    });
  });

  it('a formula KPI without a value expects its inputs, not its children', () => {
    const formula = 'prev(company.arr) + sales.new_arr - cs.churned_arr + sales.new_arr';
    expect(formulaExpectedInputs(formula)).toBe(3);
    // prev(x) and x are two reads; prev(x, 2) a third.
    expect(formulaExpectedInputs('a.b - prev(a.b) + prev(a.b, 2) / 2')).toBe(3);
    const view = periodView(org, { ...kpi, formula }, '2026-03-01', empty(), '2026-06-15', 5);
    expect(view).toMatchObject({ value: null, childrenReported: 0, childrenExpected: 3 });
    const stored = empty();
    stored.values.set('k1|2026-03-01', { value: '7', childrenReported: 2, childrenExpected: 3 });
    expect(
      periodView(org, { ...kpi, formula }, '2026-03-01', stored, '2026-06-15', 5),
    ).toMatchObject({ value: '7', childrenReported: 2, childrenExpected: 3 });
  });

  it('labels quarters by the fiscal year of the org', () => {
    const view = periodView(
      { ...org, fyStartMonth: 4 },
      { ...kpi, cadence: 'quarter' },
      '2026-04-01',
      empty(),
      '2026-06-15',
      0,
    );
    expect(view.label).toBe('Q1 FY2027');
  });
});

describe('toSummary', () => {
  const current: KpiPeriodView = {
    start: '2026-03-01',
    label: 'Mar 2026',
    value: null,
    target: null,
    share: null,
    paceProgress: null,
    status: 'no_data',
    childrenReported: 0,
    childrenExpected: 0,
  };
  const row = {
    id: 'k1',
    key: 'sales.mrr',
    name: 'MRR',
    unitId: 'u1',
    unitName: 'Sales',
    ownerUserId: null,
    ownerName: null,
    parentId: null,
    isIndividual: false,
    isNorthStar: true,
    measureUnit: 'currency',
    currency: 'EUR',
    decimals: 0,
    direction: 'increase',
    cadence: 'month',
    timeAggregation: 'last',
    rollup: 'formula',
    formula: 'sales.new_mrr - sales.churned_mrr',
    formulaInputs: ['sales.churned_mrr', 'sales.new_mrr'],
    missingPolicy: 'zero',
    category: 'strategic',
    indicator: 'lagging',
    archivedOn: null,
    ownerHomeUnitId: null,
    baseline: null,
    defaultTarget: '1000',
    version: 3,
  };

  it('keeps the summary fields and drops the others (description, weight)', () => {
    const summary = toSummary({ ...row, description: 'secret', weight: '2' }, current);
    expect(summary).toEqual({ ...row, current });
    expect(summary).not.toHaveProperty('description');
    expect(summary).not.toHaveProperty('weight');
  });
});

describe('activeChildCounts', () => {
  it('counts the children of each parent that are not archived', () => {
    const counts = activeChildCounts([
      { parentId: 'a', archivedOn: null },
      { parentId: 'a', archivedOn: null },
      { parentId: 'a', archivedOn: '2026-01-01' },
      { parentId: 'b', archivedOn: '2026-01-01' },
      { parentId: null, archivedOn: null },
    ]);
    expect([...counts]).toEqual([['a', 2]]);
  });
});
