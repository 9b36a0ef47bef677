import type { TimeAggregation } from '@/lib/domain/aggregation';
import { periodStartsInRange, type Cadence } from '@/lib/domain/periods';
import type { FormulaNode } from './ast';
import type { MissingPolicy } from './catalogue';
import { plainDec40, roundHalfEven, toDec40, type Dec40Value } from './decimal40';
import { evaluateFormula, type FormulaOutcome } from './evaluate';
import { inputValueFor, shiftPeriod, type InputSeries } from './period-inputs';
import { distinctReads } from './references';

/*
 * Every formula KPI of an organization over a range of periods, from the period values of the
 * other KPIs: the pure reference that a from-scratch recompute (and db:verify) can call. Values
 * are computed on demand and memoized per (formula, period), so formulas may read formulas and
 * `prev` chains may loop through several KPIs (a cycle in the same period throws: the checks on
 * save refuse it).
 *
 * When a formula has a value (the rule that keeps stored values free of clock-driven drift): F
 * has a value for its period P only when at least one of its *current* inputs (those read in P
 * itself, not through `prev`) has a value in P; under `strict` every input must have one as well
 * (otherwise the outcome is "missing inputs", with its coverage). A period therefore never gets a
 * value merely because it began: ARR = prev(ARR) + new + expansion - churn under `zero` gets
 * December's value once any December driver is reported. Stored values, the write path and
 * db:verify all depend on the data only, never on "today".
 *
 * The stock behind a `prev` chain: F's own `prev` reads F's *running* value, which also exists
 * in periods without a current input (a month nobody reported on carries the stock under `zero`:
 * its flows count as 0; under `strict` the chain is missing from there on). F's running value
 * is "before data" as long as none of its inputs other than its own `prev` has a value in P or
 * any earlier period of the range; in the first period with data, `prev(F, n)` reads F's
 * baseline (its opening balance) when the period n back is before data, and is missing without
 * one. Only F's own `prev` uses the baseline or the running value; every other reader (another
 * formula, plain or through `prev`) sees F's values as stored: none where F has none.
 */

/** A formula KPI to evaluate. */
export type GraphFormula = {
  key: string;
  cadence: Cadence;
  timeAggregation: TimeAggregation;
  formula: FormulaNode;
  missingPolicy: MissingPolicy;
  baseline: string | null;
};

/** The range and rules of a graph evaluation. */
export type FormulaGraphOptions = {
  fyStartMonth: number;
  /**
   * Dates: each formula is evaluated for its periods overlapping [from, to]. `from` must be on
   * or before every input's first value (periods before it count as "before data"); periods
   * after `to` are still read when a formula period reaches past it.
   */
  from: string;
  to: string;
  /** When set, each formula value is rounded half-even to this many places before use (storage). */
  valueScale?: number;
  /**
   * When set, only each formula's periods that end after this date are returned (an incremental
   * recompute after values changed from this date on: a period's value reads nothing later than
   * its own end, so earlier periods cannot have changed). Earlier periods are still evaluated as
   * far as returned ones read them (a `prev` chain), so what is returned is exactly what a full
   * evaluation gives.
   */
  emitAfter?: string;
};

/** A formula's running value in one period, and whether a current input has a value there. */
type Cell = { running: 'before' | FormulaOutcome; current: boolean };

/**
 * Evaluates every formula for each of its periods in the range: key -> period start -> outcome
 * (only periods where a current input has a value: see above). `inputs` holds every non-formula KPI by key with its
 * period values; a key in neither list reads as missing.
 */
export function evaluateFormulaGraph(
  formulas: readonly GraphFormula[],
  inputs: ReadonlyMap<string, InputSeries>,
  options: FormulaGraphOptions,
): Map<string, Map<string, FormulaOutcome>> {
  const byKey = new Map(formulas.map((f) => [f.key, f]));
  const firstPeriod = new Map(
    formulas.map((f) => [
      f.key,
      periodStartsInRange(options.from, options.from, f.cadence, options.fyStartMonth)[0] ??
        options.from,
    ]),
  );
  const readsOf = new Map(formulas.map((f) => [f.key, distinctReads(f.formula)]));
  const memo = new Map<string, Cell>();
  const busy = new Set<string>();

  const settle = (v: Dec40Value): Dec40Value =>
    options.valueScale === undefined ? v : toDec40(roundHalfEven(v, options.valueScale));

  const runningValue = (c: Cell): string | null =>
    c.running === 'before' || c.running.value === null ? null : plainDec40(c.running.value);
  // What other readers see: a value only where the formula has one (see above).
  const storedValue = (c: Cell): string | null => (c.current ? runningValue(c) : null);

  const readInput = (f: GraphFormula, key: string, start: string, back: number): string | null => {
    const g = byKey.get(key);
    if (g) {
      return inputValueFor(g, (s) => storedValue(cell(g, s)), start, f.cadence, back);
    }
    const series = inputs.get(key);
    if (!series) return null;
    return inputValueFor(series, (s) => series.values.get(s) ?? null, start, f.cadence, back);
  };

  const BEFORE: Cell = { running: 'before', current: false };
  const cell = (f: GraphFormula, start: string): Cell => {
    if (start < (firstPeriod.get(f.key) ?? start)) return BEFORE;
    const id = `${f.key}@${start}`;
    const known = memo.get(id);
    if (known) return known;
    if (busy.has(id)) throw new Error(`Formula cycle in one period at ${f.key} (${start})`);
    busy.add(id);
    const reads = readsOf.get(f.key) ?? [];
    const values = new Map<string, string | null>();
    let otherPresent = false;
    let current = false;
    for (const r of reads) {
      if (r.key === f.key && r.periodsBack > 0) continue;
      const v = readInput(f, r.key, start, r.periodsBack);
      values.set(`${r.periodsBack}:${r.key}`, v);
      if (v !== null) {
        otherPresent = true;
        if (r.periodsBack === 0) current = true;
      }
    }
    let result: Cell;
    if (!otherPresent && cell(f, shiftPeriod(start, f.cadence, 1)).running === 'before') {
      result = BEFORE;
    } else {
      for (const r of reads) {
        if (r.key !== f.key || r.periodsBack === 0) continue;
        const earlier = cell(f, shiftPeriod(start, f.cadence, r.periodsBack));
        values.set(
          `${r.periodsBack}:${r.key}`,
          earlier.running === 'before' ? f.baseline : runningValue(earlier),
        );
      }
      const outcome = evaluateFormula(
        f.formula,
        (k, n) => values.get(`${n}:${k}`) ?? null,
        f.missingPolicy,
      );
      result = {
        running: outcome.value === null ? outcome : { ...outcome, value: settle(outcome.value) },
        current,
      };
    }
    busy.delete(id);
    memo.set(id, result);
    return result;
  };

  const out = new Map<string, Map<string, FormulaOutcome>>();
  for (const f of formulas) {
    const series = new Map<string, FormulaOutcome>();
    const first =
      options.emitAfter === undefined || options.emitAfter < options.from
        ? options.from
        : options.emitAfter;
    for (const start of periodStartsInRange(first, options.to, f.cadence, options.fyStartMonth)) {
      const c = cell(f, start);
      if (c.current && c.running !== 'before') series.set(start, c.running);
    }
    out.set(f.key, series);
  }
  return out;
}
