import { describe, expect, it } from 'vitest';
import type { PeriodValue } from '@/lib/domain/cascade-compute';
import { planRecompute, walkRecompute } from '@/lib/domain/recompute';
import {
  computeAllWithFormulas,
  evaluateFormulaKpis,
  graphKey,
  sameValues,
  type FormulaDef,
} from './cascade';
import { parseFormula } from './parser';
import { formulaInputKeys } from './references';
import { nextTestCheckin, testKpi } from '@/lib/domain/test-cascade-arbitraries';

function def(id: string, key: string | null, text: string, over: Partial<FormulaDef> = {}) {
  return {
    id,
    key,
    formula: parseFormula(text),
    missingPolicy: 'strict' as const,
    baseline: null,
    ...over,
  };
}

const show = (values: Map<string, Map<string, PeriodValue>>, id: string) =>
  Object.fromEntries([...(values.get(id) ?? [])].map(([p, v]) => [p, v.value]));

describe('computeAllWithFormulas', () => {
  it('a formula child of a sum parent that another formula reads, to a fixed point', () => {
    // a, b manual; f = a * 2 (formula) under parent p (sum, with b); g = p - a (formula).
    const kpis = [
      testKpi('a'),
      testKpi('b', { parentId: 'p' }),
      testKpi('f', { rollup: 'formula', parentId: 'p' }),
      testKpi('p', { rollup: 'sum' }),
      testKpi('g', { rollup: 'formula' }),
    ];
    const keys = new Map([
      ['a', 'a'],
      ['b', 'b'],
      ['f', 'f'],
      ['p', 'p'],
      ['g', 'g'],
    ]);
    const checkins = [
      nextTestCheckin('a', '2025-01-05', '10'),
      nextTestCheckin('b', '2025-01-07', '1'),
      nextTestCheckin('a', '2025-02-05', '3'),
    ];
    const all = computeAllWithFormulas(
      kpis,
      checkins,
      1,
      [def('f', 'f', 'a * 2'), def('g', 'g', 'p - a')],
      keys,
    );
    expect(show(all, 'f')).toEqual({ '2025-01-01': '20', '2025-02-01': '6' });
    expect(show(all, 'p')).toEqual({ '2025-01-01': '21', '2025-02-01': '6' });
    expect(show(all, 'g')).toEqual({ '2025-01-01': '11', '2025-02-01': '3' });
    // Coverage: p counts its reporting children; g its inputs.
    expect(all.get('p')?.get('2025-02-01')).toMatchObject({
      childrenReported: 1,
      childrenExpected: 2,
    });
    expect(all.get('g')?.get('2025-01-01')).toMatchObject({
      sampleCount: 2,
      childrenReported: 2,
      childrenExpected: 2,
    });
  });

  it('stores values rounded to the column scale, and nothing for a division by zero', () => {
    const kpis = [testKpi('x'), testKpi('y'), testKpi('r', { rollup: 'formula' })];
    const keys = new Map([
      ['x', 'x'],
      ['y', 'y'],
    ]);
    const all = computeAllWithFormulas(
      kpis,
      [
        nextTestCheckin('x', '2025-01-01', '1'),
        nextTestCheckin('y', '2025-01-01', '3'),
        nextTestCheckin('x', '2025-02-01', '1'),
        nextTestCheckin('y', '2025-02-01', '0'),
      ],
      1,
      [def('r', null, 'x / y')],
      keys,
    );
    expect(show(all, 'r')).toEqual({ '2025-01-01': '0.3333333333' });
  });

  it('throws when formulas and rollups never settle (a cycle the checks refuse)', () => {
    const kpis = [
      testKpi('a'),
      testKpi('f', { rollup: 'formula', parentId: 'p' }),
      testKpi('p', { rollup: 'sum' }),
    ];
    const keys = new Map([
      ['a', 'a'],
      ['p', 'p'],
    ]);
    expect(() =>
      computeAllWithFormulas(
        kpis,
        [nextTestCheckin('a', '2025-01-01', '1')],
        1,
        [def('f', 'f', 'p + a', { missingPolicy: 'zero' })],
        keys,
      ),
    ).toThrow(/did not settle/);
  });
});

describe('evaluateFormulaKpis', () => {
  it('no input data: no values (no range to evaluate)', () => {
    const out = evaluateFormulaKpis(
      [{ def: def('f', 'f', 'a + 1'), kpi: testKpi('f', { rollup: 'formula' }) }],
      [{ key: 'a', kpi: testKpi('a'), values: new Map() }],
      1,
    );
    expect(out).toEqual(new Map([['f', new Map()]]));
  });

  it('formula_inputs: every key a stored formula reads, sorted, once', () => {
    expect(formulaInputKeys('prev(company.arr) + b.x - a.y * prev(b.x, 2)')).toEqual([
      'a.y',
      'b.x',
      'company.arr',
    ]);
    expect(formulaInputKeys(null)).toEqual([]);
  });

  it('a keyless formula goes by its id', () => {
    expect(graphKey({ id: 'abc', key: null })).toBe('#abc');
    expect(graphKey({ id: 'abc', key: 'k' })).toBe('k');
  });

  it('sameValues: a KPI without values equals an absent one', () => {
    const v: PeriodValue = { value: '1', sampleCount: 1, childrenReported: 1, childrenExpected: 1 };
    expect(sameValues(new Map([['f', new Map()]]), new Map())).toBe(true);
    expect(sameValues(new Map([['f', new Map([['2025-01-01', v]])]]), new Map())).toBe(false);
  });
});

describe('walkRecompute with formula KPIs', () => {
  it('a formula source passes its periods up to its parent; never recomputed from children', () => {
    const chain = [
      testKpi('f', { rollup: 'formula', parentId: 'p' }),
      testKpi('p', { rollup: 'sum' }),
    ];
    const children = [
      testKpi('f', { rollup: 'formula', parentId: 'p' }),
      testKpi('c', { parentId: 'f' }),
    ];
    const plan = planRecompute(chain, children, 1, new Map([['f', ['2025-03-01']]]));
    if (!plan) throw new Error('no plan');
    const stored = new Map([
      [
        'f',
        new Map([
          ['2025-03-01', { value: '7', sampleCount: 1, childrenReported: 1, childrenExpected: 1 }],
        ]),
      ],
      [
        'c',
        new Map([
          [
            '2025-03-01',
            { value: '100', sampleCount: 1, childrenReported: 0, childrenExpected: 0 },
          ],
        ]),
      ],
    ]);
    const { upserts, deletes } = walkRecompute(plan, [], stored);
    expect(deletes).toEqual([]);
    expect(upserts).toEqual([
      {
        kpiId: 'p',
        periodStart: '2025-03-01',
        value: '7',
        sampleCount: 1,
        childrenReported: 1,
        childrenExpected: 1,
      },
    ]);
  });
});
