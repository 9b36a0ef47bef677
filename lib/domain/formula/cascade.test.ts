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

  it('emitAfter: the periods ending after the date, exactly as a full evaluation gives them', () => {
    // A stock with an opening balance (prev of itself, months without data carry it under
    // `zero`), a quarterly total and a ratio; inputs from January to August 2025.
    const v = (value: string): PeriodValue => ({
      value,
      sampleCount: 1,
      childrenReported: 0,
      childrenExpected: 0,
    });
    const months = (pairs: [string, string][]) => new Map(pairs.map(([m, x]) => [m, v(x)]));
    const inputs = [
      {
        key: 'a',
        kpi: testKpi('a', { timeAggregation: 'sum' }),
        values: months([
          ['2025-01-01', '5'],
          ['2025-02-01', '7'],
          ['2025-04-01', '1.5'],
          ['2025-06-01', '3'],
          ['2025-08-01', '2'],
        ]),
      },
      {
        key: 'b',
        kpi: testKpi('b', { timeAggregation: 'sum' }),
        values: months([
          ['2025-02-01', '4'],
          ['2025-05-01', '0'],
          ['2025-07-01', '8'],
        ]),
      },
    ];
    const formulas = [
      {
        def: def('s', 's', 'prev(s) + a - b', { missingPolicy: 'zero', baseline: '100' }),
        kpi: testKpi('s', { rollup: 'formula' }),
      },
      {
        def: def('q', 'q', 'a + b', { missingPolicy: 'zero' }),
        kpi: testKpi('q', { rollup: 'formula', cadence: 'quarter' }),
      },
      { def: def('r', 'r', 'a / b'), kpi: testKpi('r', { rollup: 'formula' }) },
    ];
    const full = evaluateFormulaKpis(formulas, inputs, 1);
    for (const after of ['2024-12-31', '2025-01-01', '2025-04-15', '2025-06-30', '2025-08-01']) {
      const part = evaluateFormulaKpis(formulas, inputs, 1, after);
      for (const [id, values] of full) {
        const cadence = id === 'q' ? 3 : 1;
        const want = [...values].filter(([start]) => {
          const [y, m] = start.split('-').map(Number) as [number, number];
          const end = new Date(Date.UTC(y, m - 1 + cadence, 1)).toISOString().slice(0, 10);
          return end > after;
        });
        expect([...(part.get(id) ?? [])]).toEqual(want);
      }
    }
    // The stock carried its opening balance through: the last month reads every earlier one.
    expect(show(full, 's')['2025-08-01']).toBe('106.5');
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
