import type { TimeAggregation } from '@/lib/domain/aggregation';
import { normalizeDecimal } from '@/lib/domain/decimal';
import type { Cadence } from '@/lib/domain/periods';
import type { FormulaNode } from './ast';
import type { MissingPolicy } from './catalogue';
import { roundHalfEven } from './decimal40';
import { evaluateFormula } from './evaluate';
import { inputValueFor, shiftPeriod } from './period-inputs';

/*
 * The target a formula KPI's inputs imply (DESIGN section 2, "Formula KPIs": "it also shows the
 * target implied by evaluating the formula on its inputs' targets"), pure. Where DESIGN is
 * silent, what a finance analyst would call "the number we land on if every driver hits its
 * target this period":
 * - An input read in the formula's own period contributes its target reduced to that period by
 *   its own time aggregation (a monthly `sum` input under a quarterly formula: the sum of its
 *   three monthly targets). Its target is its own (override, else default) or, for a formula
 *   input without one, its implied target, recursively.
 * - `prev(k, n)` reads what is known about the earlier period: k's actual value there when it has
 *   one (the opening balance of ARR = prev(ARR) + new + expansion - churn is last period's ARR,
 *   a fact, not a plan), else k's target there. A KPI's `prev` of itself before its first period
 *   with a value reads its baseline (the opening balance), as the evaluator does.
 * - The formula's missing-input policy and division by zero apply as for values: a `strict`
 *   formula with an input without a target implies none. The result is rounded half-even to
 *   `scale` places (the stored value scale).
 */

/** What the implied target reads of one KPI. */
export type TargetSource = {
  key: string;
  cadence: Cadence;
  timeAggregation: TimeAggregation;
  /** Its own target for one of its periods (override, else default), or null. */
  ownTarget: (start: string) => string | null;
  /** Its stored values: period start -> exact decimal. */
  values: ReadonlyMap<string, string>;
  /** For a formula KPI: its expression, missing-input policy and baseline. */
  formula: { node: FormulaNode; missingPolicy: MissingPolicy; baseline: string | null } | null;
};

/**
 * A memoized lookup of implied targets over `sources` (by key): `implied(key, start)` is the
 * formula KPI's implied target for its period starting `start` (null when it has none, or the
 * KPI is not a formula), whatever its own target; `target(key, start)` is its own target, else
 * the implied one.
 */
export function impliedTargets(
  sources: ReadonlyMap<string, TargetSource>,
  scale: number,
): {
  implied: (key: string, start: string) => string | null;
  target: (key: string, start: string) => string | null;
} {
  const memo = new Map<string, string | null>();
  const busy = new Set<string>();
  const firstValue = new Map<string, string | null>();
  const firstValueOf = (src: TargetSource): string | null => {
    if (!firstValue.has(src.key)) {
      let first: string | null = null;
      for (const start of src.values.keys()) if (first === null || start < first) first = start;
      firstValue.set(src.key, first);
    }
    return firstValue.get(src.key) ?? null;
  };

  const target = (key: string, start: string): string | null => {
    const src = sources.get(key);
    if (!src) return null;
    return src.ownTarget(start) ?? implied(key, start);
  };

  const implied = (key: string, start: string): string | null => {
    const src = sources.get(key);
    if (!src?.formula) return null;
    const id = `${key}@${start}`;
    if (memo.has(id)) return memo.get(id) ?? null;
    if (busy.has(id)) return null; // a cycle: refused on save, never implied
    busy.add(id);
    const { node, missingPolicy, baseline } = src.formula;
    const outcome = evaluateFormula(
      node,
      (k, back) => {
        const input = sources.get(k);
        if (!input) return null;
        if (back === 0) {
          return inputValueFor(input, (s) => target(k, s), start, src.cadence, 0);
        }
        const actual = inputValueFor(
          input,
          (s) => input.values.get(s) ?? null,
          start,
          src.cadence,
          back,
        );
        if (actual !== null) return actual;
        const earlier = shiftPeriod(start, src.cadence, back);
        if (k === key) {
          const first = firstValueOf(src);
          if (first === null || earlier < first) return baseline;
          return target(k, earlier);
        }
        return inputValueFor(input, (s) => target(k, s), start, src.cadence, back);
      },
      missingPolicy,
    );
    const result =
      outcome.value === null ? null : normalizeDecimal(roundHalfEven(outcome.value, scale));
    busy.delete(id);
    memo.set(id, result);
    return result;
  };

  return { implied, target };
}
