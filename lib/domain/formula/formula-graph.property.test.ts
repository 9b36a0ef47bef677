import Decimal from 'decimal.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { TimeAggregation } from '@/lib/domain/aggregation';
import { addDays, isoDate } from '@/lib/domain/dates';
import type { Cadence } from '@/lib/domain/periods';
import type { BareNode, BinaryOp } from './ast';
import type { CatalogueKpi, MissingPolicy } from './catalogue';
import { plainDec40 } from './decimal40';
import type { FormulaOutcome } from './evaluate';
import { evaluateFormulaGraph, type GraphFormula } from './formula-graph';
import { parseFormula } from './parser';
import type { InputSeries } from './period-inputs';
import { affectedPeriods } from './planner';
import { printFormula } from './printer';
import { catalogueKpi } from './test-catalogue';

/*
 * The engine (evaluateFormulaGraph: on-demand memoized recursion, with the period semantics and
 * the evaluator) against a deliberately naive reference written here from DESIGN's words: a
 * table of every (formula, period) cell filled by repeated sweeps until nothing is unknown, with
 * its own month arithmetic, its own aggregation and its own tree walk. Random driver graphs:
 * monthly and quarterly inputs with sparse values (zeros included), formulas of any cadence
 * reading inputs and earlier formulas, and prev() of anything (themselves and later formulas
 * included). Then the planner: every cell a changed input value changes is in its closure.
 */

const D = Decimal.clone({ precision: 40, rounding: Decimal.ROUND_HALF_EVEN });
const AGG = Decimal.clone({ precision: 80, rounding: Decimal.ROUND_HALF_UP });
const MONTHS: Record<Cadence, number> = { month: 1, quarter: 3, year: 12 };

// ---- random graphs -------------------------------------------------------------------------

type Shape =
  | { k: 'num'; v: string }
  | { k: 'ref'; pick: number; back: number }
  | { k: 'neg'; a: Shape }
  | { k: 'bin'; op: BinaryOp; a: Shape; b: Shape }
  | { k: 'fn'; fn: 'min' | 'max' | 'coalesce' | 'abs'; args: Shape[] };

const { shape: shapeArb } = fc.letrec<{ shape: Shape }>((tie) => ({
  shape: fc.oneof(
    { depthSize: 'small', maxDepth: 4 },
    fc.constantFrom('0', '1', '2', '0.5', '10').map((v): Shape => ({ k: 'num', v })),
    fc.record({
      k: fc.constant('ref' as const),
      pick: fc.nat(20),
      back: fc.constantFrom(0, 0, 0, 1, 2),
    }),
    fc.record({ k: fc.constant('ref' as const), pick: fc.nat(20), back: fc.constantFrom(0, 1) }),
    tie('shape').map((a): Shape => ({ k: 'neg', a })),
    {
      weight: 4,
      arbitrary: fc.record({
        k: fc.constant('bin' as const),
        op: fc.constantFrom<BinaryOp>('+', '-', '*', '/'),
        a: tie('shape'),
        b: tie('shape'),
      }),
    },
    fc.record({
      k: fc.constant('fn' as const),
      fn: fc.constantFrom('min' as const, 'max' as const, 'coalesce' as const),
      args: fc.array(tie('shape'), { minLength: 2, maxLength: 3 }),
    }),
    tie('shape').map((a): Shape => ({ k: 'fn', fn: 'abs', args: [a] })),
  ),
}));

type Base = { key: string; cadence: Cadence; agg: TimeAggregation; values: Map<string, string> };
type World = { fy: number; from: string; to: string; bases: Base[]; formulas: GraphFormula[] };

const valueArb = fc.oneof(
  fc.integer({ min: -20, max: 60 }).map(String),
  fc.constantFrom('0', '0', '1.5', '-0.25'),
);

const worldArb = fc
  .record({
    fy: fc.integer({ min: 1, max: 12 }),
    bases: fc.array(
      fc.record({
        cadence: fc.constantFrom<Cadence>('month', 'month', 'quarter'),
        agg: fc.constantFrom<TimeAggregation>('sum', 'last', 'average'),
        cells: fc.array(fc.option(valueArb, { freq: 2 }), { minLength: 24, maxLength: 24 }),
      }),
      { minLength: 1, maxLength: 3 },
    ),
    formulas: fc.array(
      fc.record({
        cadence: fc.constantFrom<Cadence>('month', 'month', 'quarter', 'year'),
        agg: fc.constantFrom<TimeAggregation>('sum', 'last', 'average'),
        shape: shapeArb,
        policy: fc.constantFrom<MissingPolicy>('strict', 'zero'),
        baseline: fc.option(fc.constantFrom('0', '100', '-3.5'), { freq: 2 }),
      }),
      { minLength: 1, maxLength: 4 },
    ),
  })
  .map(({ fy, bases, formulas }): World => {
    const from = isoDate(2025, fy, 1);
    const to = addDays(isoDate(2027, fy, 1), -1);
    const baseList: Base[] = bases.map((b, i) => {
      const values = new Map<string, string>();
      const step = MONTHS[b.cadence];
      b.cells.forEach((v, m) => {
        if (v !== null && m % step === 0) values.set(monthStart(from, m), v);
      });
      return { key: `b${i}`, cadence: b.cadence, agg: b.agg, values };
    });
    const cadenceOf = new Map<string, Cadence>(baseList.map((b) => [b.key, b.cadence]));
    formulas.forEach((f, i) => cadenceOf.set(`f${i}`, f.cadence));
    const list: GraphFormula[] = formulas.map((f, i) => {
      const fits = (k: string) => MONTHS[cadenceOf.get(k) ?? 'year'] <= MONTHS[f.cadence];
      const now = [
        ...baseList.map((b) => b.key),
        ...formulas.slice(0, i).map((_, j) => `f${j}`),
      ].filter(fits);
      const earlier = [...cadenceOf.keys()].filter(fits);
      const build = (s: Shape): BareNode => {
        switch (s.k) {
          case 'num':
            return { type: 'number', value: s.v };
          case 'ref': {
            const pool = s.back === 0 ? now : earlier;
            const key = pool[s.pick % Math.max(pool.length, 1)];
            if (key === undefined) return { type: 'number', value: '3' };
            return s.back === 0 ? { type: 'key', key } : { type: 'prev', key, offset: s.back };
          }
          case 'neg':
            return { type: 'neg', operand: build(s.a) };
          case 'bin':
            return { type: 'binary', op: s.op, left: build(s.a), right: build(s.b) };
          case 'fn':
            return { type: 'call', fn: s.fn, args: s.args.map(build) };
        }
      };
      return {
        key: `f${i}`,
        cadence: f.cadence,
        timeAggregation: f.agg,
        formula: parseFormula(printFormula(build(f.shape))),
        missingPolicy: f.policy,
        baseline: f.baseline,
      };
    });
    return { fy, from, to, bases: baseList, formulas: list };
  });

// ---- the naive reference -------------------------------------------------------------------

const monthIndex = (date: string): number =>
  Number(date.slice(0, 4)) * 12 + Number(date.slice(5, 7)) - 1;
const fromIndex = (i: number): string =>
  `${Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')}-01`;
function monthStart(from: string, m: number): string {
  return fromIndex(monthIndex(from) + m);
}

type NVal = { t: 'v'; d: Decimal } | { t: 'missing' } | { t: 'div0' };
type NCell =
  | { t: 'unknown' }
  | { t: 'before' }
  | {
      t: 'done';
      value: Decimal | null;
      reason: string | null;
      reported: number;
      expected: number;
      /** A current input (read in the period itself, not through prev) has a value here. */
      current: boolean;
    };

function naive(world: World): Map<string, Map<string, NCell>> {
  const first = monthIndex(world.from);
  const last = monthIndex(world.to);
  const formulaByKey = new Map(world.formulas.map((f) => [f.key, f]));
  const baseByKey = new Map(world.bases.map((b) => [b.key, b]));
  const periodsOf = (c: Cadence): string[] => {
    const out: string[] = [];
    for (let i = first; i <= last; i += MONTHS[c]) out.push(fromIndex(i)); // `from` starts a fiscal year
    return out;
  };
  const table = new Map<string, Map<string, NCell>>();
  for (const f of world.formulas)
    table.set(f.key, new Map(periodsOf(f.cadence).map((p) => [p, { t: 'unknown' } as NCell])));

  /** Stored value of formula g in its period p: null = no value, undefined = not known yet. */
  const formulaValue = (g: GraphFormula, p: string): string | null | undefined => {
    if (monthIndex(p) < first) return null;
    const c = table.get(g.key)?.get(p);
    if (!c || c.t === 'unknown') return undefined;
    return c.t === 'done' && c.current && c.value !== null ? c.value.toFixed() : null;
  };
  /** An input reduced to the formula's period P moved back `back` periods; undefined = unknown. */
  const input = (
    f: GraphFormula,
    key: string,
    p: string,
    back: number,
  ): string | null | undefined => {
    const start = monthIndex(p) - back * MONTHS[f.cadence];
    const g = formulaByKey.get(key);
    const b = baseByKey.get(key);
    const cadence = g?.cadence ?? b?.cadence;
    const agg = g?.timeAggregation ?? b?.agg;
    if (!cadence || !agg) return null;
    const vals: string[] = [];
    for (let i = start; i < start + MONTHS[f.cadence]; i += MONTHS[cadence]) {
      const v = g ? formulaValue(g, fromIndex(i)) : (b?.values.get(fromIndex(i)) ?? null);
      if (v === undefined) return undefined;
      if (v !== null) vals.push(v);
    }
    if (vals.length === 0) return null;
    if (agg === 'last') return new AGG(vals[vals.length - 1] as string).toFixed();
    const sum = vals.reduce((a, v) => a.plus(v), new AGG(0));
    if (agg === 'sum') return sum.toFixed();
    return sum.div(vals.length).toDecimalPlaces(10, AGG.ROUND_HALF_UP).toFixed();
  };
  const reads = (
    n: BareNode,
    out: { key: string; back: number }[] = [],
  ): { key: string; back: number }[] => {
    if (n.type === 'key') out.push({ key: n.key, back: 0 });
    else if (n.type === 'prev') out.push({ key: n.key, back: n.offset });
    else if (n.type === 'neg') reads(n.operand, out);
    else if (n.type === 'binary') {
      reads(n.left, out);
      reads(n.right, out);
    } else if (n.type === 'call') n.args.forEach((a) => reads(a, out));
    return out;
  };
  const walk = (
    n: BareNode,
    get: (key: string, back: number) => string | null,
    policy: MissingPolicy,
  ): NVal => {
    switch (n.type) {
      case 'number':
        return { t: 'v', d: new D(n.value) };
      case 'key':
      case 'prev': {
        const v = get(n.key, n.type === 'key' ? 0 : n.offset);
        return v === null ? { t: 'missing' } : { t: 'v', d: new D(v) };
      }
      case 'neg': {
        const v = walk(n.operand, get, policy);
        if (v.t === 'missing' && policy === 'zero') return { t: 'v', d: new D(0) };
        return v.t === 'v' ? { t: 'v', d: v.d.neg() } : v;
      }
      case 'call': {
        const args = n.args.map((a) => walk(a, get, policy));
        if (args.some((a) => a.t === 'div0')) return { t: 'div0' };
        if (n.fn === 'coalesce') return args.find((a) => a.t === 'v') ?? { t: 'missing' };
        const zeroed = args.map((a) =>
          a.t === 'missing' && policy === 'zero' ? { t: 'v' as const, d: new D(0) } : a,
        );
        if (zeroed.some((a) => a.t !== 'v')) return { t: 'missing' };
        const ds = zeroed.map((a) => (a as { d: Decimal }).d);
        if (n.fn === 'abs') return { t: 'v', d: (ds[0] as Decimal).abs() };
        let best = ds[0] as Decimal;
        for (const d of ds) if (n.fn === 'min' ? d.lt(best) : d.gt(best)) best = d;
        return { t: 'v', d: best };
      }
      case 'binary': {
        let l = walk(n.left, get, policy);
        let r = walk(n.right, get, policy);
        if (l.t === 'div0' || r.t === 'div0') return { t: 'div0' };
        if (policy === 'zero' && l.t === 'missing') l = { t: 'v', d: new D(0) };
        if (policy === 'zero' && r.t === 'missing') r = { t: 'v', d: new D(0) };
        if (n.op === '/' && r.t === 'v' && r.d.isZero()) return { t: 'div0' };
        if (l.t !== 'v' || r.t !== 'v') return { t: 'missing' };
        const d =
          n.op === '+'
            ? l.d.plus(r.d)
            : n.op === '-'
              ? l.d.minus(r.d)
              : n.op === '*'
                ? l.d.times(r.d)
                : l.d.div(r.d);
        return { t: 'v', d };
      }
    }
  };

  for (let sweep = 0; ; sweep += 1) {
    let unknown = 0;
    let progress = false;
    for (const f of world.formulas) {
      const cells = table.get(f.key) as Map<string, NCell>;
      const periods = [...cells.keys()].reverse(); // not the engine's order
      const rs = reads(f.formula);
      const unique = [...new Map(rs.map((r) => [`${r.back}:${r.key}`, r])).values()];
      const others = unique.filter((r) => !(r.key === f.key && r.back > 0));
      for (const p of periods) {
        if (cells.get(p)?.t !== 'unknown') continue;
        // Before data: no input other than its own prev has a value here or earlier in range.
        let before: boolean | undefined = true;
        for (const q of periodsOf(f.cadence).filter((q) => q <= p)) {
          for (const r of others) {
            const v = input(f, r.key, q, r.back);
            if (v === undefined) before = before === true ? undefined : before;
            else if (v !== null) before = false;
          }
          if (before === false) break;
        }
        if (before === undefined) {
          unknown += 1;
          continue;
        }
        if (before) {
          cells.set(p, { t: 'before' });
          progress = true;
          continue;
        }
        const got = new Map<string, string | null>();
        let ready = true;
        for (const r of unique) {
          let v: string | null | undefined;
          if (r.key === f.key && r.back > 0) {
            const q = fromIndex(monthIndex(p) - r.back * MONTHS[f.cadence]);
            const c = monthIndex(q) < first ? ({ t: 'before' } as NCell) : cells.get(q);
            v =
              !c || c.t === 'unknown'
                ? undefined
                : c.t === 'before'
                  ? f.baseline
                  : (c.value?.toFixed() ?? null);
          } else {
            v = input(f, r.key, p, r.back);
          }
          if (v === undefined) ready = false;
          got.set(`${r.back}:${r.key}`, v ?? null);
        }
        if (!ready) {
          unknown += 1;
          continue;
        }
        const reported = [...got.values()].filter((v) => v !== null).length;
        const expected = got.size;
        // A value only where an input read in the period itself has one (never just a prev).
        const current = unique.some(
          (r) => r.back === 0 && r.key !== f.key && got.get(`0:${r.key}`) != null,
        );
        let cell: NCell;
        if (expected > 0 && reported === 0)
          cell = { t: 'done', value: null, reason: 'no data', reported, expected, current };
        else {
          const v = walk(f.formula, (k, b) => got.get(`${b}:${k}`) ?? null, f.missingPolicy);
          cell =
            v.t === 'v'
              ? { t: 'done', value: v.d, reason: null, reported, expected, current }
              : {
                  t: 'done',
                  value: null,
                  reason: v.t === 'div0' ? 'division by zero' : 'missing inputs',
                  reported,
                  expected,
                  current,
                };
        }
        cells.set(p, cell);
        progress = true;
      }
    }
    if (unknown === 0) return table;
    if (!progress) throw new Error('naive reference: no progress (a same-period cycle?)');
  }
}

// ---- the properties ------------------------------------------------------------------------

function engine(world: World): Map<string, Map<string, FormulaOutcome>> {
  const inputs = new Map<string, InputSeries>(
    world.bases.map((b) => [
      b.key,
      { cadence: b.cadence, timeAggregation: b.agg, values: b.values },
    ]),
  );
  return evaluateFormulaGraph(world.formulas, inputs, {
    fyStartMonth: world.fy,
    from: world.from,
    to: world.to,
  });
}

type Shown = Record<string, Record<string, string>>;
const showEngine = (r: Map<string, Map<string, FormulaOutcome>>): Shown =>
  Object.fromEntries(
    [...r].map(([k, m]) => [
      k,
      Object.fromEntries(
        [...m].map(([p, o]) => [
          p,
          `${o.value === null ? o.reason : plainDec40(o.value)} ${o.reported}/${o.expected}`,
        ]),
      ),
    ]),
  );
const showNaive = (t: Map<string, Map<string, NCell>>): Shown =>
  Object.fromEntries(
    [...t].map(([k, m]) => [
      k,
      Object.fromEntries(
        [...m].flatMap(([p, c]) =>
          c.t === 'done' && c.current
            ? [
                [
                  p,
                  `${c.value === null ? c.reason : c.value.isZero() ? '0' : c.value.toFixed()} ${c.reported}/${c.expected}`,
                ],
              ]
            : [],
        ),
      ),
    ]),
  );

const withValues = (shown: Shown): Shown =>
  Object.fromEntries(
    Object.entries(shown).map(([k, m]) => [
      k,
      Object.fromEntries(Object.entries(m).filter(([, v]) => !v.startsWith('no data'))),
    ]),
  );

describe('formula engine against a naive reference', () => {
  it('every formula, every period: same value or reason, same coverage', () => {
    fc.assert(
      fc.property(worldArb, (world) => {
        expect(showEngine(engine(world))).toEqual(showNaive(naive(world)));
      }),
      { numRuns: 150 },
    );
  }, 60_000);

  it('the planner: every cell a changed input changes is in its closure', () => {
    fc.assert(
      fc.property(
        worldArb,
        fc.nat(),
        fc.nat(23),
        fc.option(valueArb),
        (world, which, month, value) => {
          const base = world.bases[which % world.bases.length] as Base;
          const step = MONTHS[base.cadence];
          const period = monthStart(world.from, month - (month % step));
          const changedValues = new Map(base.values);
          if (value === null) changedValues.delete(period);
          else changedValues.set(period, value);
          const after: World = {
            ...world,
            bases: world.bases.map((b) => (b === base ? { ...b, values: changedValues } : b)),
          };
          // "no data" and "before data" both mean no value: the planner plans values.
          const before = withValues(showEngine(engine(world)));
          const now = withValues(showEngine(engine(after)));
          const catalogue: CatalogueKpi[] = [
            ...world.bases.map((b) =>
              catalogueKpi(b.key, { cadence: b.cadence, timeAggregation: b.agg }),
            ),
            ...world.formulas.map((f) => ({
              ...catalogueKpi(f.key, { cadence: f.cadence, timeAggregation: f.timeAggregation }),
              rollup: 'formula' as const,
              formula: f.formula,
            })),
          ];
          const affected = affectedPeriods(
            [{ kpiId: `id:${base.key}`, period }],
            catalogue,
            world.fy,
            world.to,
          );
          for (const f of world.formulas) {
            const periods = new Set([
              ...Object.keys(before[f.key] ?? {}),
              ...Object.keys(now[f.key] ?? {}),
            ]);
            for (const p of periods) {
              if (before[f.key]?.[p] !== now[f.key]?.[p]) {
                expect({
                  key: f.key,
                  p,
                  planned: affected.get(`id:${f.key}`)?.has(p) ?? false,
                }).toEqual({ key: f.key, p, planned: true });
              }
            }
          }
        },
      ),
      { numRuns: 150 },
    );
  }, 60_000);
});
