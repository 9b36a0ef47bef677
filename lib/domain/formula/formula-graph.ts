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
 * A formula's first periods: F has no value in a period P as long as none of its inputs other
 * than its own `prev` has a value in P or in any earlier period of the range ("before data"). In
 * the first period with data, `prev(F, n)` reads F's baseline (its opening balance) when the
 * period n back is before data, and is missing without a baseline. Only F's own `prev` uses the
 * baseline; `prev` of another KPI before its data is missing. A formula that reads nothing but
 * its own `prev` and literals therefore never has a value.
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
};

type Cell = 'before' | FormulaOutcome;

/**
 * Evaluates every formula for each of its periods in the range: key -> period start -> outcome
 * (periods before data are left out). `inputs` holds every non-formula KPI by key with its
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

  const valueOf = (cell: Cell): string | null =>
    cell === 'before' || cell.value === null ? null : plainDec40(cell.value);

  const readInput = (f: GraphFormula, key: string, start: string, back: number): string | null => {
    const g = byKey.get(key);
    if (g) {
      return inputValueFor(g, (s) => valueOf(cell(g, s)), start, f.cadence, back);
    }
    const series = inputs.get(key);
    if (!series) return null;
    return inputValueFor(series, (s) => series.values.get(s) ?? null, start, f.cadence, back);
  };

  const cell = (f: GraphFormula, start: string): Cell => {
    if (start < (firstPeriod.get(f.key) ?? start)) return 'before';
    const id = `${f.key}@${start}`;
    const known = memo.get(id);
    if (known) return known;
    if (busy.has(id)) throw new Error(`Formula cycle in one period at ${f.key} (${start})`);
    busy.add(id);
    const reads = readsOf.get(f.key) ?? [];
    const values = new Map<string, string | null>();
    let otherPresent = false;
    for (const r of reads) {
      if (r.key === f.key && r.periodsBack > 0) continue;
      const v = readInput(f, r.key, start, r.periodsBack);
      values.set(`${r.periodsBack}:${r.key}`, v);
      if (v !== null) otherPresent = true;
    }
    let result: Cell;
    if (!otherPresent && cell(f, shiftPeriod(start, f.cadence, 1)) === 'before') {
      result = 'before';
    } else {
      for (const r of reads) {
        if (r.key !== f.key || r.periodsBack === 0) continue;
        const earlier = cell(f, shiftPeriod(start, f.cadence, r.periodsBack));
        values.set(
          `${r.periodsBack}:${r.key}`,
          earlier === 'before' ? f.baseline : valueOf(earlier),
        );
      }
      const outcome = evaluateFormula(
        f.formula,
        (k, n) => values.get(`${n}:${k}`) ?? null,
        f.missingPolicy,
      );
      result = outcome.value === null ? outcome : { ...outcome, value: settle(outcome.value) };
    }
    busy.delete(id);
    memo.set(id, result);
    return result;
  };

  const out = new Map<string, Map<string, FormulaOutcome>>();
  for (const f of formulas) {
    const series = new Map<string, FormulaOutcome>();
    for (const start of periodStartsInRange(
      options.from,
      options.to,
      f.cadence,
      options.fyStartMonth,
    )) {
      const c = cell(f, start);
      if (c !== 'before') series.set(start, c);
    }
    out.set(f.key, series);
  }
  return out;
}
