import { describe, expect, it } from 'vitest';
import {
  currentTargetGaps,
  reconcileTargets,
  reconciliationText,
} from '@/lib/domain/target-reconciliation';

describe('reconcileTargets', () => {
  it('reports a shortfall with the gap', () => {
    expect(reconcileTargets('100000', ['50000', '46000'])).toEqual({
      childrenTotal: '96000',
      gap: '4000',
      state: 'short',
      missing: 0,
    });
  });
  it('reports over-planning, a match and missing children', () => {
    expect(reconcileTargets('10', ['6', '6']).state).toBe('over');
    expect(reconcileTargets('10.0', ['4.5', '5.5', null])).toEqual({
      childrenTotal: '10',
      gap: '0',
      state: 'matches',
      missing: 1,
    });
    expect(reconcileTargets('10', [null]).state).toBe('no_children_targets');
    expect(reconcileTargets(null, ['1']).state).toBe('no_target');
  });
});

describe('reconciliationText', () => {
  const m = { measureUnit: 'count' as const, currency: null, decimals: 0 };
  it('says what the children plan and the gap', () => {
    expect(
      reconciliationText(reconcileTargets('100000', ['50000', '46000']), '100000', m, 'en-US'),
    ).toBe('Children plan 96,000 of 100,000: 4,000 short');
    expect(reconciliationText(reconcileTargets('10', ['6', '6']), '10', m, 'en-US')).toBe(
      'Children plan 12 of 10: 2 over',
    );
    expect(reconciliationText(reconcileTargets('10', ['4', '6']), '10', m, 'en-US')).toBe(
      'Children plan 10: adds up',
    );
  });
});

describe('currentTargetGaps', () => {
  const kpi = (id: string, parentId: string | null, target: string | null, over = {}) => ({
    id,
    parentId,
    rollup: 'manual' as const,
    cadence: 'month' as const,
    archivedOn: null,
    measureUnit: 'count' as const,
    currency: null,
    decimals: 0,
    current: { target },
    ...over,
  });
  it('marks sum parents whose children do not add up, only those', () => {
    const gaps = currentTargetGaps(
      [
        kpi('p', null, '100', { rollup: 'sum' }),
        kpi('a', 'p', '40'),
        kpi('b', 'p', '50'),
        kpi('q', null, '10', { rollup: 'sum' }),
        kpi('c', 'q', '10'),
        kpi('m', null, '10'),
        kpi('d', 'm', '1'),
        kpi('r', null, '10', { rollup: 'sum' }),
        kpi('e', 'r', '1', { cadence: 'quarter' }),
      ],
      'en-US',
    );
    expect([...gaps]).toEqual([['p', 'Children plan 90 of 100: 10 short']]);
  });
});
