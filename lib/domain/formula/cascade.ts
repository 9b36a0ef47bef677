import {
  computeAllPeriodValues,
  samePeriodValue,
  type CascadeCheckin,
  type CascadeKpi,
  type PeriodValue,
} from '@/lib/domain/cascade-compute';
import { normalizeDecimal } from '@/lib/domain/decimal';
import type { FormulaNode } from './ast';
import type { MissingPolicy } from './catalogue';
import { plainDec40 } from './decimal40';
import type { FormulaOutcome } from './evaluate';
import { evaluateFormulaGraph, type GraphFormula } from './formula-graph';
import type { InputSeries } from './period-inputs';

/*
 * Formula KPIs in the cascade, pure: what the incremental engine (lib/dal/cascade/formulas.ts)
 * and the from-scratch recompute (db:verify, rebuilds) share, so a stored formula value and its
 * recomputation can only differ when a write missed a recompute.
 *
 * - Stored values are numeric(38,10): every formula value is rounded half-even to 10 places
 *   (`VALUE_SCALE`) before anything reads it, so chained formulas read what is stored.
 * - A stored formula value carries its coverage: sample count and children reported = inputs
 *   reported, children expected = inputs expected ("2 of 3 inputs"). Periods without a value
 *   (missing inputs under `strict`, division by zero) store no row.
 * - The range of an evaluation is the span of its inputs' values: the evaluation depends on the
 *   data only, never on "today" (see formula-graph.ts for when a formula has a value).
 */

/** Scale of `kpi_period_values.value`: formula values are rounded to it before use. */
export const VALUE_SCALE = 10;

/** A formula KPI's definition as the cascade reads it (its formula parsed). */
export type FormulaDef = {
  id: string;
  key: string | null;
  formula: FormulaNode;
  missingPolicy: MissingPolicy;
  baseline: string | null;
};

/** The name a formula goes by in a graph evaluation: its key, or its id for a keyless one. */
export function graphKey(def: Pick<FormulaDef, 'id' | 'key'>): string {
  return def.key ?? `#${def.id}`;
}

/** A formula outcome as a stored period value, or null when it has no value. */
export function outcomePeriodValue(outcome: FormulaOutcome): PeriodValue | null {
  if (outcome.value === null) return null;
  return {
    value: normalizeDecimal(plainDec40(outcome.value)),
    sampleCount: outcome.reported,
    childrenReported: outcome.reported,
    childrenExpected: outcome.expected,
  };
}

/**
 * Evaluates the formula KPIs `formulas` (each with its cascade fields) over every period their
 * inputs have values in. `inputs` are the non-formula KPIs they may read, by key, with their
 * period values; formulas read by formulas are evaluated on the fly (pass every formula in the
 * closure). Returns formula id -> period start -> value (only periods with a value). With
 * `emitAfter`, only the periods ending after that date (see FormulaGraphOptions.emitAfter).
 */
export function evaluateFormulaKpis(
  formulas: readonly { def: FormulaDef; kpi: CascadeKpi }[],
  inputs: readonly { key: string; kpi: CascadeKpi; values: ReadonlyMap<string, PeriodValue> }[],
  fyStartMonth: number,
  emitAfter?: string,
): Map<string, Map<string, PeriodValue>> {
  const result = new Map<string, Map<string, PeriodValue>>();
  for (const [id, outcomes] of evaluateFormulaOutcomes(formulas, inputs, fyStartMonth, emitAfter)) {
    const own = new Map<string, PeriodValue>();
    for (const [start, outcome] of outcomes) {
      const value = outcomePeriodValue(outcome);
      if (value) own.set(start, value);
    }
    result.set(id, own);
  }
  return result;
}

/**
 * The outcomes behind `evaluateFormulaKpis`: formula id -> period start -> outcome, periods
 * without a value included where a current input has one (a `strict` formula missing an input,
 * a division by zero), with their coverage and missing reads. What readers show for a period
 * that stores no value ("2 of 3 inputs").
 */
export function evaluateFormulaOutcomes(
  formulas: readonly { def: FormulaDef; kpi: CascadeKpi }[],
  inputs: readonly { key: string; kpi: CascadeKpi; values: ReadonlyMap<string, PeriodValue> }[],
  fyStartMonth: number,
  emitAfter?: string,
): Map<string, Map<string, FormulaOutcome>> {
  const result = new Map<string, Map<string, FormulaOutcome>>(
    formulas.map((f) => [f.def.id, new Map()]),
  );
  let from: string | null = null;
  let to: string | null = null;
  const series = new Map<string, InputSeries>();
  for (const input of inputs) {
    const values = new Map<string, string>();
    for (const [start, v] of input.values) {
      values.set(start, v.value);
      if (from === null || start < from) from = start;
      if (to === null || start > to) to = start;
    }
    series.set(input.key, {
      cadence: input.kpi.cadence,
      timeAggregation: input.kpi.timeAggregation,
      values,
    });
  }
  if (from === null || to === null) return result; // no data: no formula has a value
  const graph: GraphFormula[] = formulas.map(({ def, kpi }) => ({
    key: graphKey(def),
    cadence: kpi.cadence,
    timeAggregation: kpi.timeAggregation,
    formula: def.formula,
    missingPolicy: def.missingPolicy,
    baseline: def.baseline,
  }));
  const outcomes = evaluateFormulaGraph(graph, series, {
    fyStartMonth,
    from,
    to,
    valueScale: VALUE_SCALE,
    ...(emitAfter === undefined ? {} : { emitAfter }),
  });
  for (const { def } of formulas) {
    result.set(def.id, outcomes.get(graphKey(def)) ?? new Map<string, FormulaOutcome>());
  }
  return result;
}

/** Most rounds of formulas feeding rollups feeding formulas before giving up (a loop). */
const MAX_ROUNDS = 1000;

/**
 * Every period value of one organization from scratch, formula KPIs included. An archived
 * formula KPI is no longer computed: its values are the history it had when archived, given in
 * `frozen` (its stored values) and kept as they are. The rest: the rollups of
 * `computeAllPeriodValues` with the formula KPIs' values held fixed, then every formula from the
 * other KPIs' values, repeated until the formula values no longer change (a formula may read a
 * rollup that sums formulas, and `prev` may reach back through rollups). `formulas` are the
 * definitions of the KPIs whose rollup is `formula`; `keys` gives every KPI's key. Throws when
 * the links contain a cycle or the rounds do not settle.
 */
export function computeAllWithFormulas(
  kpis: readonly CascadeKpi[],
  checkins: readonly CascadeCheckin[],
  fyStartMonth: number,
  formulas: readonly FormulaDef[],
  keys: ReadonlyMap<string, string>,
  frozen: ReadonlyMap<string, ReadonlyMap<string, PeriodValue>> = new Map(),
): Map<string, Map<string, PeriodValue>> {
  const byId = new Map(kpis.map((k) => [k.id, k]));
  const formulaKpis = formulas.flatMap((def) => {
    const kpi = byId.get(def.id);
    return kpi && kpi.rollup === 'formula' && kpi.archivedOn === null ? [{ def, kpi }] : [];
  });
  const kept = new Map<string, Map<string, PeriodValue>>();
  for (const kpi of kpis) {
    if (kpi.rollup === 'formula' && kpi.archivedOn !== null) {
      kept.set(kpi.id, new Map(frozen.get(kpi.id) ?? []));
    }
  }
  let fixed = new Map(kept);
  for (let round = 0; round < MAX_ROUNDS; round += 1) {
    const all = computeAllPeriodValues(kpis, checkins, fyStartMonth, fixed);
    if (formulaKpis.length === 0) return all;
    const inputs = kpis.flatMap((kpi) => {
      const key = keys.get(kpi.id);
      return key !== undefined && kpi.rollup !== 'formula'
        ? [{ key, kpi, values: all.get(kpi.id) ?? new Map<string, PeriodValue>() }]
        : [];
    });
    const next = new Map([...kept, ...evaluateFormulaKpis(formulaKpis, inputs, fyStartMonth)]);
    if (sameValues(fixed, next)) return all;
    fixed = next;
  }
  throw new Error('Formula values did not settle (a loop of formulas and rollups)');
}

/**
 * The stored values of the archived formula KPIs among `kpis`: history that is no longer
 * computed (db:verify and rebuilds keep it as it is: computeAllWithFormulas' `frozen`).
 */
export function archivedFormulaValues(
  kpis: readonly CascadeKpi[],
  stored: ReadonlyMap<string, ReadonlyMap<string, PeriodValue>>,
): Map<string, ReadonlyMap<string, PeriodValue>> {
  const frozen = new Map<string, ReadonlyMap<string, PeriodValue>>();
  for (const kpi of kpis) {
    if (kpi.rollup === 'formula' && kpi.archivedOn !== null) {
      frozen.set(kpi.id, stored.get(kpi.id) ?? new Map<string, PeriodValue>());
    }
  }
  return frozen;
}

/** True when both hold the same KPIs' values (a KPI without values equals an absent one). */
export function sameValues(
  a: ReadonlyMap<string, ReadonlyMap<string, PeriodValue>>,
  b: ReadonlyMap<string, ReadonlyMap<string, PeriodValue>>,
): boolean {
  for (const id of new Set([...a.keys(), ...b.keys()])) {
    const x = a.get(id) ?? new Map<string, PeriodValue>();
    const y = b.get(id) ?? new Map<string, PeriodValue>();
    if (x.size !== y.size) return false;
    for (const [start, v] of x) if (!samePeriodValue(v, y.get(start) ?? null)) return false;
  }
  return true;
}
