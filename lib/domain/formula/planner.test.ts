import { describe, expect, it } from 'vitest';
import { affectedPeriods } from './planner';
import { catalogueKpi as kpi } from './test-catalogue';

const plain = (m: Map<string, Set<string>>): Record<string, string[]> =>
  Object.fromEntries([...m].map(([id, s]) => [id, [...s].sort()]));

describe('affectedPeriods', () => {
  const catalogue = [
    kpi('sales.team_a'),
    kpi('sales.new_arr', { rollup: 'sum' }),
    kpi('cs.churned_arr'),
    kpi('company.arr', { formula: 'prev(company.arr) + sales.new_arr - cs.churned_arr' }),
    kpi('company.arr_q', { cadence: 'quarter', formula: 'company.arr' }),
    kpi('board.total', { rollup: 'sum', cadence: 'year' }),
    kpi('yoy', { formula: 'company.arr / prev(company.arr, 12)' }),
  ].map((k) =>
    k.key === 'sales.team_a'
      ? { ...k, parentId: 'id:sales.new_arr' }
      : k.key === 'company.arr_q'
        ? { ...k, parentId: 'id:board.total' }
        : k,
  );

  it('follows parent links, formula references and prev chains up to the horizon', () => {
    const got = affectedPeriods(
      [{ kpiId: 'id:sales.team_a', period: '2026-10-15' }],
      catalogue,
      1,
      '2026-12-31',
    );
    expect(plain(got)).toEqual({
      'id:sales.new_arr': ['2026-10-01'],
      'id:company.arr': ['2026-10-01', '2026-11-01', '2026-12-01'],
      'id:company.arr_q': ['2026-10-01'],
      'id:board.total': ['2026-01-01'],
      'id:yoy': ['2026-10-01', '2026-11-01', '2026-12-01'],
    });
  });

  it('reaches a year later through prev(k, 12) when the horizon allows', () => {
    const got = affectedPeriods(
      [{ kpiId: 'id:cs.churned_arr', period: '2026-01-01' }],
      catalogue,
      1,
      '2027-01-31',
    );
    expect(got.get('id:yoy')?.has('2027-01-01')).toBe(true);
    expect(got.get('id:company.arr')?.size).toBe(13);
    expect(got.get('id:company.arr_q')).toEqual(
      new Set(['2026-01-01', '2026-04-01', '2026-07-01', '2026-10-01', '2027-01-01']),
    );
  });

  it('stops at manual and formula parents, at archived formulas and at unknown ids', () => {
    const list = [
      kpi('p.manual'),
      kpi('p.formula', { formula: '1 + c2' }),
      kpi('c1', { parentId: 'id:p.manual' }),
      kpi('c2', { parentId: 'id:p.formula' }),
      kpi('c3'),
      kpi('gone', { formula: 'c3', archived: true }),
    ];
    expect(
      plain(affectedPeriods([{ kpiId: 'id:c1', period: '2026-01-01' }], list, 1, '2026-12-31')),
    ).toEqual({});
    expect(
      plain(affectedPeriods([{ kpiId: 'id:c2', period: '2026-01-01' }], list, 1, '2026-12-31')),
    ).toEqual({
      'id:p.formula': ['2026-01-01'],
    });
    expect(
      affectedPeriods([{ kpiId: 'id:c3', period: '2026-01-01' }], list, 1, '2026-12-31').size,
    ).toBe(0);
    expect(
      affectedPeriods([{ kpiId: 'nope', period: '2026-01-01' }], list, 1, '2026-12-31').size,
    ).toBe(0);
  });

  it('a formula reading its own prev(k, n) is affected in every later period', () => {
    // A first value moves where the baseline opens the stock: every later period may change.
    const list = [kpi('x'), kpi('s', { formula: 'min(0, x) + prev(s, 2)' })];
    const got = affectedPeriods([{ kpiId: 'id:x', period: '2026-01-01' }], list, 1, '2026-04-30');
    expect(plain(got)).toEqual({
      'id:s': ['2026-01-01', '2026-02-01', '2026-03-01', '2026-04-01'],
    });
  });

  it('leaves out periods after the horizon', () => {
    const got = affectedPeriods(
      [{ kpiId: 'id:cs.churned_arr', period: '2026-12-01' }],
      catalogue,
      1,
      '2026-11-30',
    );
    expect(got.size).toBe(0);
  });
});
