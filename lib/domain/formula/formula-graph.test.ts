import { describe, expect, it } from 'vitest';
import type { TimeAggregation } from '@/lib/domain/aggregation';
import type { Cadence } from '@/lib/domain/periods';
import type { MissingPolicy } from './catalogue';
import { plainDec40 } from './decimal40';
import type { FormulaOutcome } from './evaluate';
import { evaluateFormulaGraph, type GraphFormula } from './formula-graph';
import { parseFormula } from './parser';
import type { InputSeries } from './period-inputs';

function formula(
  key: string,
  text: string,
  over: {
    cadence?: Cadence;
    policy?: MissingPolicy;
    baseline?: string | null;
    agg?: TimeAggregation;
  } = {},
): GraphFormula {
  return {
    key,
    cadence: over.cadence ?? 'month',
    timeAggregation: over.agg ?? 'last',
    formula: parseFormula(text),
    missingPolicy: over.policy ?? 'strict',
    baseline: over.baseline ?? null,
  };
}

function series(
  values: Record<string, string>,
  agg: TimeAggregation = 'sum',
  cadence: Cadence = 'month',
): InputSeries {
  return { cadence, timeAggregation: agg, values: new Map(Object.entries(values)) };
}

/** Period -> value or reason, for compact expectations. */
function show(
  results: Map<string, Map<string, FormulaOutcome>>,
  key: string,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [p, o] of results.get(key) ?? [])
    out[p] = o.value === null ? `(${o.reason})` : plainDec40(o.value);
  return out;
}

const range = { fyStartMonth: 1, from: '2025-11-01', to: '2026-04-30' };
const drivers = new Map([
  ['sales.new_arr', series({ '2026-01-01': '100', '2026-02-01': '50' })],
  ['cs.churned_arr', series({ '2026-01-01': '10', '2026-02-01': '0', '2026-03-01': '5' })],
]);
const ARR = 'prev(company.arr) + sales.new_arr - cs.churned_arr';

describe('evaluateFormulaGraph: a stock from its flows', () => {
  it('strict, with an opening balance: the baseline opens the first period with data', () => {
    const r = evaluateFormulaGraph(
      [formula('company.arr', ARR, { baseline: '1000' })],
      drivers,
      range,
    );
    expect(show(r, 'company.arr')).toEqual({
      '2026-01-01': '1090',
      '2026-02-01': '1140',
      '2026-03-01': '(missing inputs)',
    });
    expect(r.get('company.arr')?.get('2026-03-01')).toMatchObject({ reported: 2, expected: 3 });
  });

  it('zero: a missing flow counts as 0 and the stock carries forward', () => {
    const r = evaluateFormulaGraph(
      [formula('company.arr', ARR, { baseline: '1000', policy: 'zero' })],
      drivers,
      range,
    );
    expect(show(r, 'company.arr')).toEqual({
      '2026-01-01': '1090',
      '2026-02-01': '1140',
      '2026-03-01': '1135',
    });
  });

  it('no value merely because a period began; a month nobody reported on carries the stock', () => {
    const gappy = new Map([
      ['sales.new_arr', series({ '2026-01-01': '100', '2026-03-01': '30' })],
      ['cs.churned_arr', series({ '2026-01-01': '10' })],
    ]);
    const zero = evaluateFormulaGraph(
      [formula('company.arr', ARR, { baseline: '1000', policy: 'zero' })],
      gappy,
      range,
    );
    // February and April have no driver: no value (the range ends in April, today or not).
    expect(show(zero, 'company.arr')).toEqual({ '2026-01-01': '1090', '2026-03-01': '1120' });
    const strict = evaluateFormulaGraph(
      [formula('company.arr', ARR, { baseline: '1000' })],
      gappy,
      range,
    );
    expect(show(strict, 'company.arr')).toEqual({
      '2026-01-01': '1090',
      '2026-03-01': '(missing inputs)',
    });
  });

  it('another formula reads the stored values: none where the stock has none', () => {
    const gappy = new Map([
      ['sales.new_arr', series({ '2026-01-01': '100', '2026-03-01': '30' })],
      ['cs.churned_arr', series({ '2026-01-01': '10' })],
    ]);
    const r = evaluateFormulaGraph(
      [
        formula('company.arr', ARR, { baseline: '1000', policy: 'zero' }),
        formula('arr.change', 'company.arr - prev(company.arr)'),
      ],
      gappy,
      range,
    );
    expect(show(r, 'arr.change')).toEqual({
      '2026-01-01': '(missing inputs)',
      '2026-03-01': '(missing inputs)',
    });
  });

  it('without a baseline the opening balance is missing (strict) or 0 (zero)', () => {
    const strict = evaluateFormulaGraph([formula('company.arr', ARR)], drivers, range);
    expect(show(strict, 'company.arr')['2026-01-01']).toBe('(missing inputs)');
    const zero = evaluateFormulaGraph(
      [formula('company.arr', ARR, { policy: 'zero' })],
      drivers,
      range,
    );
    expect(show(zero, 'company.arr')).toMatchObject({ '2026-01-01': '90', '2026-02-01': '140' });
  });

  it('prev of another KPI before its data is missing, never its baseline', () => {
    const r = evaluateFormulaGraph(
      [formula('growth', 'sales.new_arr - prev(sales.new_arr)', { baseline: '7' })],
      drivers,
      range,
    );
    expect(show(r, 'growth')).toMatchObject({
      '2026-01-01': '(missing inputs)',
      '2026-02-01': '-50',
    });
  });
});

describe('evaluateFormulaGraph: periods, chains and rounding', () => {
  it('a quarterly ratio of monthly totals, over a fiscal year from February', () => {
    const inputs = new Map([
      ['marketing.sqls', series({ '2026-02-01': '1', '2026-03-01': '9' })],
      ['marketing.mqls', series({ '2026-02-01': '10', '2026-03-01': '30', '2026-05-01': '0' })],
    ]);
    const r = evaluateFormulaGraph(
      [
        formula('marketing.mql_to_sql', 'marketing.sqls / marketing.mqls * 100', {
          cadence: 'quarter',
        }),
      ],
      inputs,
      { fyStartMonth: 2, from: '2026-02-01', to: '2026-07-31' },
    );
    // (1 + 9) / (10 + 30), not the average of 10% and 30%.
    expect(show(r, 'marketing.mql_to_sql')).toEqual({
      '2026-02-01': '25',
      '2026-05-01': '(division by zero)',
    });
  });

  it('formulas read formulas, at their own cadence and aggregation', () => {
    const inputs = new Map([
      ['rev', series({ '2026-01-01': '200', '2026-02-01': '300' })],
      ['cogs', series({ '2026-01-01': '50', '2026-02-01': '150' })],
    ]);
    const r = evaluateFormulaGraph(
      [
        formula('gross', 'rev - cogs', { agg: 'sum' }),
        formula('gross.q', 'gross / rev', { cadence: 'quarter' }),
      ],
      inputs,
      { fyStartMonth: 1, from: '2026-01-01', to: '2026-03-31' },
    );
    expect(show(r, 'gross')).toEqual({
      '2026-01-01': '150',
      '2026-02-01': '150',
    });
    expect(show(r, 'gross.q')).toEqual({ '2026-01-01': '0.6' });
  });

  it('a prev chain through two KPIs is no cycle', () => {
    const inputs = new Map([
      ['x', series({ '2026-01-01': '1', '2026-02-01': '2', '2026-03-01': '3' })],
    ]);
    const r = evaluateFormulaGraph(
      [formula('a', 'coalesce(prev(b), 0) + x'), formula('b', 'a * 10')],
      inputs,
      { fyStartMonth: 1, from: '2026-01-01', to: '2026-03-31' },
    );
    expect(show(r, 'a')).toEqual({ '2026-01-01': '1', '2026-02-01': '12', '2026-03-01': '123' });
    expect(show(r, 'b')).toEqual({ '2026-01-01': '10', '2026-02-01': '120', '2026-03-01': '1230' });
  });

  it('rounds each stored value when a value scale is given, before anything reads it', () => {
    const inputs = new Map([['a', series({ '2026-01-01': '1' })]]);
    const formulas = [formula('third', 'a / 3'), formula('back', 'third * 3')];
    const opts = { fyStartMonth: 1, from: '2026-01-01', to: '2026-01-31' };
    expect(
      show(evaluateFormulaGraph(formulas, inputs, { ...opts, valueScale: 2 }), 'back'),
    ).toEqual({ '2026-01-01': '0.99' });
    expect(show(evaluateFormulaGraph(formulas, inputs, opts), 'back')['2026-01-01']).toBe(
      `0.${'9'.repeat(40)}`,
    );
  });

  it('throws on a cycle within one period (the checks refuse it on save)', () => {
    const inputs = new Map([['x', series({ '2026-01-01': '1' })]]);
    expect(() =>
      evaluateFormulaGraph([formula('a', 'b + x'), formula('b', 'a')], inputs, {
        fyStartMonth: 1,
        from: '2026-01-01',
        to: '2026-01-31',
      }),
    ).toThrow(/cycle/);
  });
});
