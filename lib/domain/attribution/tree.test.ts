import { describe, expect, it } from 'vitest';
import { toDec } from '@/lib/domain/decimal';
import { parseFormula } from '@/lib/domain/formula/parser';
import { attributeKpi, sumContributions, type AttributionKpi } from './tree';

const P = '2026-01-01';

function kpi(
  id: string,
  over: Partial<Omit<AttributionKpi, 'values' | 'ownTarget' | 'formula'>> & {
    value?: string | null;
    target?: string | null;
    formula?: string;
    values?: Record<string, string>;
  } = {},
): AttributionKpi {
  const { value = null, target = null, formula, values, ...rest } = over;
  const map = new Map<string, string>(Object.entries(values ?? {}));
  if (value !== null) map.set(P, value);
  return {
    id,
    key: id,
    name: id,
    ownerName: null,
    unitName: 'Company',
    parentId: null,
    cadence: 'month',
    timeAggregation: 'sum',
    rollup: formula ? 'formula' : 'manual',
    weight: '1',
    archivedOn: null,
    baseline: null,
    formula: formula ? { node: parseFormula(formula), missingPolicy: 'strict' } : null,
    values: map,
    ownTarget: (s) => (s === P ? target : null),
    ...rest,
  };
}

const byName = (lines: { name: string; contribution: string }[]) =>
  Object.fromEntries(lines.map((l) => [l.name, l.contribution]));

describe('attributeKpi', () => {
  it('reads like the issue: ARR 120k short, new ARR -90k (Enterprise -70k, Mid-market -20k), churn -40k, expansion +10k', () => {
    const kpis = [
      kpi('arr', {
        formula: 'prev(arr) + new_arr + expansion - churn',
        values: { '2025-12-01': '1000000', [P]: '1030000' },
        target: '1150000',
      }),
      kpi('new_arr', { rollup: 'sum', value: '60000', target: '150000' }),
      kpi('enterprise', {
        parentId: 'new_arr',
        value: '30000',
        target: '100000',
        ownerName: 'Ada',
      }),
      kpi('midmarket', { parentId: 'new_arr', value: '30000', target: '50000' }),
      kpi('expansion', { value: '20000', target: '10000' }),
      kpi('churn', { value: '50000', target: '10000' }),
    ];
    const a = attributeKpi(kpis, 'arr', P);
    expect(a.gap).toBe('-120000');
    expect(a.method).toBe('shapley');
    expect(byName(a.lines)).toEqual({
      arr: '0',
      new_arr: '-90000',
      expansion: '10000',
      churn: '-40000',
    });
    const newArr = a.lines.find((l) => l.name === 'new_arr');
    expect(byName(newArr?.parts ?? [])).toEqual({ enterprise: '-70000', midmarket: '-20000' });
    expect(newArr?.parts[0]?.ownerName).toBe('Ada');
    expect(a.lines.find((l) => l.name === 'arr')?.read).toBe('prev(arr)');
  });

  it('splits a sum exactly, counting a missing child as 0 and naming a target the children do not share', () => {
    const kpis = [
      kpi('total', { rollup: 'sum', value: '95', target: '120' }),
      kpi('a', { parentId: 'total', value: '50', target: '60' }),
      kpi('b', { parentId: 'total', value: '45' }),
      kpi('c', { parentId: 'total', target: '30' }),
    ];
    const a = attributeKpi(kpis, 'total', P);
    expect(a.gap).toBe('-25');
    expect(a.lines.map((l) => [l.name, l.contribution, l.missing, l.noTarget])).toEqual([
      ['a', '-10', false, false],
      ['b', '45', false, true],
      ['c', '-30', true, false],
      ['Target not split among its children', '-30', false, false],
    ]);
  });

  it('splits a weighted average by weight share and leaves a child that did not report at 0', () => {
    const kpis = [
      kpi('nps', {
        rollup: 'weighted_average',
        value: '40',
        target: '50',
        timeAggregation: 'average',
      }),
      kpi('eu', { parentId: 'nps', value: '30', target: '50', weight: '1' }),
      kpi('us', { parentId: 'nps', value: '45', target: '50', weight: '2' }),
      kpi('apac', { parentId: 'nps', target: '50', weight: '5' }),
    ];
    const a = attributeKpi(kpis, 'nps', P);
    expect(byName(a.lines)).toEqual({ eu: '-6.6666666667', us: '-3.3333333333', apac: '0' });
    expect(sumContributions(a.lines).eq(toDec('-10'))).toBe(true);
  });

  it('gives Shapley values for a product: price +190, volume -110', () => {
    const kpis = [
      kpi('revenue', { formula: 'price * volume', value: '1080', target: '1000' }),
      kpi('price', { value: '12', target: '10', timeAggregation: 'average' }),
      kpi('volume', { value: '90', target: '100' }),
    ];
    expect(byName(attributeKpi(kpis, 'revenue', P).lines)).toEqual({
      price: '190',
      volume: '-110',
    });
  });

  it('names the difference between a formula target and the one its inputs imply', () => {
    const kpis = [
      kpi('revenue', { formula: 'price * volume', value: '1080', target: '900' }),
      kpi('price', { value: '12', target: '10' }),
      kpi('volume', { value: '90', target: '100' }),
    ];
    const a = attributeKpi(kpis, 'revenue', P);
    expect(a.gap).toBe('180');
    expect(a.lines.map((l) => l.contribution)).toEqual(['190', '-110', '100']);
  });

  it('uses the implied target of a formula without its own, with no target line', () => {
    const kpis = [
      kpi('margin', { formula: 'profit / revenue', value: '0.2' }),
      kpi('profit', { value: '200', target: '300' }),
      kpi('revenue', { value: '1000', target: '1000' }),
    ];
    const a = attributeKpi(kpis, 'margin', P);
    expect(a).toMatchObject({ target: '0.3', targetImplied: true, gap: '-0.1' });
    expect(byName(a.lines)).toEqual({ profit: '-0.1', revenue: '0' });
  });

  it('says why there is nothing to split', () => {
    expect(attributeKpi([kpi('x', { value: '1' })], 'x', P).reason).toBe('no target');
    expect(attributeKpi([kpi('x', { target: '1' })], 'x', P).reason).toBe('no value');
    expect(attributeKpi([kpi('x', { value: '1', target: '2' })], 'x', P)).toMatchObject({
      reason: 'not computed',
      gap: '-1',
    });
    const divZero = [
      kpi('r', { formula: 'a / b', value: '2', target: '1' }),
      kpi('a', { value: '4', target: '1' }),
      kpi('b', { value: '2', target: '0' }),
    ];
    expect(attributeKpi(divZero, 'r', P).reason).toBe('not attributable');
  });

  it('leaves out a child archived before the period', () => {
    const kpis = [
      kpi('t', { rollup: 'sum', value: '10', target: '10' }),
      kpi('a', { parentId: 't', value: '10', target: '10' }),
      kpi('gone', { parentId: 't', value: '5', target: '5', archivedOn: '2025-06-01' }),
    ];
    expect(attributeKpi(kpis, 't', P).lines.map((l) => l.name)).toEqual(['a']);
  });
});
