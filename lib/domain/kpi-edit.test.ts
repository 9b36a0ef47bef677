import { describe, expect, it } from 'vitest';
import {
  currencyProblem,
  editPatch,
  fieldChanged,
  LINK_CHECKED_FIELDS,
  linkProblemsProblem,
  toLinkKpi,
  VALUE_FIELDS,
} from '@/lib/domain/kpi-edit';
import type { LinkProblem } from '@/lib/domain/tree';

describe('editPatch', () => {
  it('keeps only the given fields', () => {
    expect(editPatch({ name: 'MRR', description: undefined, weight: '2' })).toEqual({
      name: 'MRR',
      weight: '2',
    });
  });

  it('clears the currency when the measure unit leaves currency without naming one', () => {
    expect(editPatch({ measureUnit: 'count' })).toEqual({ measureUnit: 'count', currency: null });
    expect(editPatch({ measureUnit: 'count', currency: 'EUR' })).toEqual({
      measureUnit: 'count',
      currency: 'EUR',
    });
    expect(editPatch({ measureUnit: 'currency' })).toEqual({ measureUnit: 'currency' });
    expect(editPatch({ name: 'x' })).toEqual({ name: 'x' });
  });
});

describe('currencyProblem', () => {
  it('accepts a currency exactly with the currency measure unit', () => {
    expect(currencyProblem({ measureUnit: 'currency', currency: 'EUR' })).toBeNull();
    expect(currencyProblem({ measureUnit: 'count', currency: null })).toBeNull();
    expect(currencyProblem({ measureUnit: 'percent' })).toBeNull();
  });

  it('asks for a code when measured in a currency without one', () => {
    expect(currencyProblem({ measureUnit: 'currency', currency: null })).toEqual({
      message: 'Please fix the highlighted fields.',
      fieldErrors: { currency: ['Choose the currency (a code such as EUR)'] },
    });
  });

  it('refuses a code on a KPI not measured in a currency', () => {
    expect(currencyProblem({ measureUnit: 'count', currency: 'USD' })?.fieldErrors).toEqual({
      currency: ['Only KPIs measured in a currency have a currency code'],
    });
  });
});

describe('fieldChanged', () => {
  const before = { name: 'a', weight: '1.50', baseline: null as string | null, key: '1.0' };

  it('compares decimal fields by value and others as they are', () => {
    expect(fieldChanged(before, { ...before, weight: '1.5' }, 'weight')).toBe(false);
    expect(fieldChanged(before, { ...before, weight: '1.6' }, 'weight')).toBe(true);
    expect(fieldChanged(before, { ...before, key: '1' }, 'key')).toBe(true);
    expect(fieldChanged(before, { ...before, name: 'a' }, 'name')).toBe(false);
  });

  it('treats setting or clearing a decimal as a change', () => {
    expect(fieldChanged(before, { ...before, baseline: '0' }, 'baseline')).toBe(true);
    expect(fieldChanged({ ...before, baseline: '0' }, before, 'baseline')).toBe(true);
  });

  it('lists the link-checked and value-changing fields', () => {
    expect(LINK_CHECKED_FIELDS).toEqual(['unitId', 'cadence', 'rollup', 'measureUnit', 'currency']);
    expect(VALUE_FIELDS).toEqual(['cadence', 'rollup', 'timeAggregation', 'weight']);
  });
});

describe('toLinkKpi', () => {
  it('keeps only the fields checkKpiLink looks at', () => {
    const kpi = {
      id: 'k',
      unitId: 'u',
      cadence: 'month' as const,
      rollup: 'sum' as const,
      measureUnit: 'count',
      currency: null,
      name: 'dropped',
    };
    expect(toLinkKpi(kpi)).toEqual({
      id: 'k',
      unitId: 'u',
      cadence: 'month',
      rollup: 'sum',
      measureUnit: 'count',
      currency: null,
    });
  });
});

describe('linkProblemsProblem', () => {
  const cycle: LinkProblem = { code: 'cycle', message: 'Cycle.' };
  const unit: LinkProblem = { code: 'unit_outside_parent_subtree', message: 'Outside.' };
  const cadence: LinkProblem = { code: 'cadence_longer_than_parent', message: 'Too long.' };
  const measure: LinkProblem = { code: 'measure_unit_mismatch', message: 'Mismatch.' };

  it('is null without problems', () => {
    expect(linkProblemsProblem([])).toBeNull();
    expect(linkProblemsProblem([], 'parentId')).toBeNull();
  });

  it('puts each problem under its own form field, with its prefix', () => {
    expect(
      linkProblemsProblem([
        { problem: cycle, prefix: '' },
        { problem: unit, prefix: '' },
        { problem: cadence, prefix: '"A": ' },
        { problem: measure, prefix: '"B": ' },
        { problem: measure, prefix: '"C": ' },
      ]),
    ).toEqual({
      message: 'Cycle. Outside. "A": Too long. "B": Mismatch. "C": Mismatch.',
      fieldErrors: {
        parentId: ['Cycle.'],
        unitId: ['Outside.'],
        cadence: ['"A": Too long.'],
        measureUnit: ['"B": Mismatch.', '"C": Mismatch.'],
      },
    });
  });

  it('puts every problem under the given field', () => {
    expect(
      linkProblemsProblem(
        [
          { problem: unit, prefix: '' },
          { problem: cadence, prefix: '' },
        ],
        'parentId',
      ),
    ).toEqual({
      message: 'Outside. Too long.',
      fieldErrors: { parentId: ['Outside.', 'Too long.'] },
    });
  });
});
