import { describe, expect, it } from 'vitest';
import type { CatalogueKpi } from './catalogue';
import { checkFormula, formulasUsing, labelList } from './check';
import { dependencyGraph, describeCycle, findAnyCycle } from './dependency-graph';
import { parseFormula } from './parser';
import { formulaInputs } from './references';
import { closestKey, editDistance } from './suggest';
import { catalogueKpi as kpi } from './test-catalogue';

const eur = { measureUnit: 'currency', currency: 'EUR' } as const;
const catalogue: CatalogueKpi[] = [
  kpi('company.arr', {
    ...eur,
    timeAggregation: 'last',
    formula: 'prev(company.arr) + sales.new_arr',
  }),
  kpi('sales.new_arr', eur),
  kpi('cs.churned_arr', eur),
  kpi('us.revenue', { measureUnit: 'currency', currency: 'USD' }),
  kpi('marketing.mqls'),
  kpi('marketing.sqls'),
  kpi('cs.churn_rate', { measureUnit: 'percent', timeAggregation: 'average' }),
  kpi('finance.cash', { ...eur, timeAggregation: 'last' }),
  kpi('ops.cycle_time', { measureUnit: 'duration', timeAggregation: 'average' }),
  kpi('board.plan', { ...eur, cadence: 'year' }),
  kpi('old.metric', { archived: true }),
  kpi('team-a'),
  kpi('team-b'),
];

/** Checks `text` as the formula of a new monthly KPI `new.kpi` (EUR unless `over` says). */
function check(text: string, over: Partial<CatalogueKpi> = {}, list = catalogue) {
  const { rollup: _r, formula: _f, ...target } = { ...kpi('new.kpi', eur), ...over };
  return checkFormula(target, parseFormula(text), list);
}

describe('checkFormula', () => {
  it('accepts the ARR stock formula and a plain conversion rate', () => {
    expect(check('prev(new.kpi) + sales.new_arr - cs.churned_arr')).toEqual([]);
    expect(
      check('marketing.sqls / marketing.mqls * 100', { measureUnit: 'percent', currency: null }),
    ).toEqual([]);
  });

  it('names an unknown key with a did-you-mean and its position', () => {
    const [p, ...rest] = check('1 + sales.new_ar');
    expect(rest).toEqual([]);
    expect(p).toMatchObject({
      code: 'unknown_key',
      message: "Unknown KPI 'sales.new_ar'; did you mean 'sales.new_arr'? at 4",
      start: 4,
      end: 16,
    });
    expect(check('zzz.qqq')[0]?.detail).toBe("Unknown KPI 'zzz.qqq'");
  });

  it('judges no units while a key is unknown (its unit would be a guess)', () => {
    const problems = check('sales.new_arr / sales.new_ar', {
      measureUnit: 'ratio',
      currency: null,
    });
    expect(problems.map((p) => [p.code, p.start])).toEqual([['unknown_key', 16]]);
    // With the key fixed, the units are judged again (EUR / EUR is a ratio: fine).
    expect(
      check('sales.new_arr / sales.new_arr', { measureUnit: 'ratio', currency: null }),
    ).toEqual([]);
  });

  it('tells a subtraction written without spaces from a key', () => {
    expect(check('team-a-team-b', { measureUnit: 'count', currency: null })[0]?.detail).toBe(
      "Unknown KPI 'team-a-team-b'; to subtract, put spaces around '-': team-a - team-b",
    );
    expect(check('sales.new_arr-cs.churned_arr')[0]?.detail).toBe(
      "Unknown KPI 'sales.new_arr-cs.churned_arr'; to subtract, put spaces around '-': sales.new_arr - cs.churned_arr",
    );
    expect(check('team-a - team-b', { measureUnit: 'count', currency: null })).toEqual([]);
  });

  it('refuses archived inputs and inputs with a longer cadence, in prev too', () => {
    expect(
      check('old.metric', { measureUnit: 'count', currency: null }).map((p) => p.detail),
    ).toEqual(["'old.metric' is archived"]);
    expect(
      check('sales.new_arr + prev(board.plan)').map((p) => [p.code, p.detail, p.start]),
    ).toEqual([['cadence', "'board.plan' is yearly, longer than this KPI's monthly cadence", 21]]);
    expect(check('board.plan', { cadence: 'year' })).toEqual([]);
  });

  it.each([
    ['sales.new_arr + cs.churn_rate', "'+' mixes EUR and percent", 14],
    ['sales.new_arr - us.revenue', "'-' mixes EUR and USD", 14],
    ['max(sales.new_arr, ops.cycle_time)', 'max() mixes EUR and duration', 0],
    [
      'coalesce(cs.churn_rate, marketing.mqls) * 0',
      'coalesce() mixes percent and a plain number',
      0,
    ],
    ['us.revenue', 'The formula gives USD, but this KPI is measured in EUR', 0],
    ['sales.new_arr * finance.cash', 'The formula gives EUR², but this KPI is measured in EUR', 0],
  ])('unit mismatch in %j', (text, detail, start) => {
    expect(check(text).map((p) => [p.code, p.detail, p.start])).toEqual([['unit', detail, start]]);
  });

  it.each([
    ['sales.new_arr / marketing.sqls', eur], // CAC: EUR per customer
    ['sales.new_arr * cs.churn_rate / 100', eur], // a percent of an amount is an amount
    ['sales.new_arr + 1000', eur], // literals take the other side's unit
    ['cs.churn_rate * 2 + cs.churn_rate', { measureUnit: 'percent', currency: null }],
    ['finance.cash / sales.new_arr', { measureUnit: 'duration', currency: null }], // runway
    ['finance.cash / sales.new_arr', { measureUnit: 'ratio', currency: null }], // plain
    ['marketing.sqls + marketing.mqls', { measureUnit: 'count', currency: null }],
    ['abs(-sales.new_arr)', eur],
  ] as const)('sound units: %j', (text, unit) => {
    expect(check(text, unit)).toEqual([]);
  });

  it('refuses a non-currency KPI computed in a currency', () => {
    expect(check('sales.new_arr', { measureUnit: 'percent', currency: null })[0]?.detail).toBe(
      'The formula gives EUR, but this KPI is measured in percent',
    );
  });

  it('names a cycle through formulas and parent links; prev is no cycle', () => {
    const list = [
      ...catalogue,
      kpi('x', { ...eur, formula: 'y + 1' }),
      kpi('y', { ...eur, rollup: 'sum' }),
      kpi('z', { ...eur, parentId: 'id:y', formula: 'company.arr' }),
    ];
    const problems = check(
      'x - prev(company.arr)',
      { id: 'id:company.arr', key: 'company.arr' },
      list,
    );
    expect(problems.map((p) => [p.code, p.message])).toEqual([
      ['cycle', 'Cycle: company.arr -> x -> y -> z -> company.arr at 0'],
    ]);
    expect(
      check('company.arr + 1', { id: 'id:company.arr', key: 'company.arr' }).find(
        (p) => p.code === 'cycle',
      )?.detail,
    ).toBe('Cycle: company.arr -> company.arr');
    expect(
      check('prev(company.arr) + sales.new_arr', { id: 'id:company.arr', key: 'company.arr' }),
    ).toEqual([]);
  });

  it('refuses a formula without another KPI read in its own period', () => {
    const self = { id: 'id:company.arr', key: 'company.arr' };
    expect(check('100').map((p) => p.code)).toEqual(['no_inputs']);
    expect(check('prev(company.arr) * 1.1', self).map((p) => p.message)).toEqual([
      'A formula needs at least one other KPI read in its own period (not only through prev) at 0',
    ]);
    // Only prev() of another KPI: it would never have a value either.
    expect(check('prev(sales.new_arr) * 2', self).map((p) => p.code)).toEqual(['no_inputs']);
  });

  it('lists problems in text order', () => {
    const starts = check('board.plan + us.revenue + old.metric').map((p) => p.start);
    expect(starts).toEqual([...starts].sort((a, b) => a - b));
    expect(starts.length).toBeGreaterThanOrEqual(3);
  });
});

describe('dependency graph', () => {
  it('finds any cycle and names it', () => {
    const list = [
      kpi('a', { formula: 'b' }),
      kpi('b', { formula: 'prev(a) + c' }),
      kpi('c', { formula: 'a' }),
    ];
    const cycle = findAnyCycle(dependencyGraph(list));
    expect(cycle && describeCycle(cycle, list)).toMatch(
      /^(a -> b -> c -> a|b -> c -> a -> b|c -> a -> b -> c)$/,
    );
    expect(findAnyCycle(dependencyGraph(list.slice(0, 2)))).toBeNull();
  });

  it('names KPIs without a key by their name', () => {
    const q = kpi('q', { rollup: 'sum' });
    const total = kpi(null, { name: 'Total', rollup: 'sum', id: 'p', parentId: 'id:q' });
    const c1 = kpi('c1', { parentId: 'p', formula: 'q * 2' });
    const list = [q, total, c1];
    const cycle = findAnyCycle(dependencyGraph(list));
    expect(cycle && describeCycle(cycle, list)).toBe('q -> "Total" -> c1 -> q');
    expect(
      findAnyCycle(dependencyGraph([q, total, { ...c1, formula: parseFormula('prev(q)') }])),
    ).toBeNull();
  });
});

describe('references and usage', () => {
  it('splits inputs read now from those read through prev', () => {
    expect(formulaInputs(parseFormula('prev(a) + b * prev(b, 12) + max(c, a)'))).toEqual({
      inputs: ['a', 'b', 'c'],
      prevInputs: ['a', 'b'],
      all: ['a', 'b', 'c'],
    });
  });

  it('lists the active formulas that use a KPI (archiving it is refused)', () => {
    const used = formulasUsing(kpi('sales.new_arr'), [
      ...catalogue,
      kpi('gone', { archived: true, formula: 'sales.new_arr' }),
      kpi('other', { formula: 'prev(sales.new_arr, 2)' }),
    ]);
    expect(labelList(used)).toBe('company.arr, other');
    expect(formulasUsing(kpi(null), catalogue)).toEqual([]);
  });
});

describe('did you mean', () => {
  it('measures edit distance', () => {
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editDistance('', 'abc')).toBe(3);
    expect(editDistance('same', 'same')).toBe(0);
  });

  it('suggests only close keys, ties by sort order', () => {
    expect(closestKey('sales.arr', ['sales.new_arr', 'sales.arr2', 'cs.arr'])).toBe('sales.arr2');
    expect(closestKey('ab', ['ac', 'ab2', 'zz'])).toBe('ab2');
    expect(closestKey('revenue', ['cash', 'headcount'])).toBeNull();
  });
});
