import { and, eq, inArray } from 'drizzle-orm';
import type { Tx } from '@/db/client';
import { kpis, memberships } from '@/db/schema';
import type { TimeAggregation } from '@/lib/domain/aggregation';
import { normalizeDecimal } from '@/lib/domain/decimal';
import type { MeasureUnit } from '@/lib/domain/format';
import type { FormulaNode } from '@/lib/domain/formula/ast';
import { VALUE_SCALE } from '@/lib/domain/formula/cascade';
import type { MissingPolicy } from '@/lib/domain/formula/catalogue';
import { plainDec40 } from '@/lib/domain/formula/decimal40';
import type { NoValueReason } from '@/lib/domain/formula/evaluate';
import { evaluateFormulaGraph } from '@/lib/domain/formula/formula-graph';
import { inputValueFor, shiftPeriod, type InputSeries } from '@/lib/domain/formula/period-inputs';
import { distinctReads } from '@/lib/domain/formula/references';
import { periodLabel, type Cadence } from '@/lib/domain/periods';
import { loadStoredPeriodValues } from '@/lib/dal/cascade/load-values';

/*
 * A formula evaluated for a few periods from current data, read-only: the live preview of a
 * draft in the KPI form and the KPI page's "This number = ..." with its inputs' values. It runs
 * the engine's own pure evaluation (evaluateFormulaGraph, inputValueFor, rounded to the stored
 * scale) over the inputs' stored period values, exactly as the write path reads them (a formula
 * input contributes its stored values), so a preview of a saved formula shows its stored values.
 * Tenant: the org id given (the caller runs inside its tenant transaction or read and has
 * authorized the KPI); writes nothing.
 */

/** A formula to evaluate: a draft or a saved KPI's definition. */
export type FormulaToEvaluate = {
  /** The KPI's own id when it exists (its own values are never an input). */
  kpiId: string | null;
  /** The KPI's key: a `prev()` of it reads the formula's own earlier values (a stock). */
  key: string | null;
  formula: FormulaNode;
  cadence: Cadence;
  timeAggregation: TimeAggregation;
  missingPolicy: MissingPolicy;
  baseline: string | null;
};

/** An input KPI as an explanation shows it. */
export type FormulaInputKpi = {
  id: string;
  key: string;
  name: string;
  measureUnit: MeasureUnit;
  currency: string | null;
  decimals: number;
  isIndividual: boolean;
  ownerUserId: string | null;
  ownerHomeUnitId: string | null;
  unitId: string;
};

/** One read of the formula in one period: `key` n periods back, and its value there. */
export type FormulaReadValue = {
  key: string;
  periodsBack: number;
  /** The start and label of the period read (the formula's cadence). */
  periodStart: string;
  periodLabel: string;
  value: string | null;
  /** For a `prev()` of the formula itself before its first value: its baseline was read. */
  fromBaseline: boolean;
};

/** The formula in one period: its value or why it has none, with what it read. */
export type FormulaPeriod = {
  start: string;
  label: string;
  value: string | null;
  reason: NoValueReason | null;
  reported: number;
  expected: number;
  reads: FormulaReadValue[];
};

/** The formula evaluated for `periods` (starts of its cadence), and the KPIs it reads. */
export type FormulaPeriods = { periods: FormulaPeriod[]; inputs: Map<string, FormulaInputKpi> };

const DRAFT_KEY = '#draft';

/**
 * Evaluates `f` for each of `periods` (starts of f's cadence) from the stored period values of
 * the KPIs it reads, labelled in `org.locale`. A key that is no KPI of the org reads as missing (the checks on save refuse
 * it). Tenant-scoped by orgId.
 */
export async function evaluateFormulaPeriods(
  db: Tx,
  orgId: string,
  org: { fyStartMonth: number; locale: string },
  f: FormulaToEvaluate,
  periods: readonly string[],
): Promise<FormulaPeriods> {
  const { fyStartMonth, locale } = org;
  const reads = distinctReads(f.formula);
  const selfKey = f.key;
  const isSelf = (key: string) => selfKey !== null && key === selfKey;
  const keys = [...new Set(reads.map((r) => r.key).filter((k) => !isSelf(k)))];
  const rows =
    keys.length === 0
      ? []
      : await db
          .select({
            id: kpis.id,
            key: kpis.key,
            name: kpis.name,
            cadence: kpis.cadence,
            timeAggregation: kpis.timeAggregation,
            measureUnit: kpis.measureUnit,
            currency: kpis.currency,
            decimals: kpis.decimals,
            isIndividual: kpis.isIndividual,
            ownerUserId: kpis.ownerUserId,
            ownerHomeUnitId: memberships.homeUnitId,
            unitId: kpis.unitId,
          })
          .from(kpis)
          .leftJoin(
            memberships,
            and(eq(memberships.orgId, kpis.orgId), eq(memberships.userId, kpis.ownerUserId)),
          )
          .where(and(eq(kpis.orgId, orgId), inArray(kpis.key, keys)));
  const inputRows = rows.filter((r) => r.key !== null && r.id !== f.kpiId);
  const stored = await loadStoredPeriodValues(db, orgId, { kpiIds: inputRows.map((r) => r.id) });
  const series = new Map<string, InputSeries>();
  const inputs = new Map<string, FormulaInputKpi>();
  let from: string | null = null;
  for (const r of inputRows) {
    const key = r.key as string;
    const values = new Map<string, string>();
    for (const [start, v] of stored.get(r.id) ?? []) {
      values.set(start, v.value);
      if (from === null || start < from) from = start;
    }
    series.set(key, { cadence: r.cadence, timeAggregation: r.timeAggregation, values });
    inputs.set(key, {
      id: r.id,
      key,
      name: r.name,
      measureUnit: r.measureUnit,
      currency: r.currency,
      decimals: r.decimals,
      isIndividual: r.isIndividual,
      ownerUserId: r.ownerUserId,
      ownerHomeUnitId: r.ownerHomeUnitId,
      unitId: r.unitId,
    });
  }

  const sorted = [...periods].sort();
  const last = sorted[sorted.length - 1];
  const graphKey = selfKey ?? DRAFT_KEY;
  const outcomes =
    from === null || last === undefined
      ? new Map<string, never>()
      : (evaluateFormulaGraph(
          [
            {
              key: graphKey,
              cadence: f.cadence,
              timeAggregation: f.timeAggregation,
              formula: f.formula,
              missingPolicy: f.missingPolicy,
              baseline: f.baseline,
            },
          ],
          series,
          { fyStartMonth, from, to: last, valueScale: VALUE_SCALE },
        ).get(graphKey) ?? new Map());

  const ownValue = (start: string): { value: string | null; fromBaseline: boolean } => {
    const o = outcomes.get(start);
    if (o && o.value !== null)
      return { value: normalizeDecimal(plainDec40(o.value)), fromBaseline: false };
    if (from === null || start < from)
      return { value: f.baseline, fromBaseline: f.baseline !== null };
    return { value: null, fromBaseline: false };
  };

  const result: FormulaPeriod[] = periods.map((start) => {
    const periodReads = reads.map((r): FormulaReadValue => {
      const readStart = shiftPeriod(start, f.cadence, r.periodsBack);
      const base = {
        key: r.key,
        periodsBack: r.periodsBack,
        periodStart: readStart,
        periodLabel: periodLabel(readStart, f.cadence, fyStartMonth, locale),
      };
      if (isSelf(r.key)) {
        return {
          ...base,
          ...(r.periodsBack > 0 ? ownValue(readStart) : { value: null, fromBaseline: false }),
        };
      }
      const s = series.get(r.key);
      const value = s
        ? inputValueFor(s, (p) => s.values.get(p) ?? null, start, f.cadence, r.periodsBack)
        : null;
      return {
        ...base,
        value: value === null ? null : normalizeDecimal(value),
        fromBaseline: false,
      };
    });
    const outcome = outcomes.get(start);
    return {
      start,
      label: periodLabel(start, f.cadence, fyStartMonth, locale),
      value: outcome && outcome.value !== null ? normalizeDecimal(plainDec40(outcome.value)) : null,
      reason: outcome ? outcome.reason : 'no data',
      reported: outcome ? outcome.reported : periodReads.filter((r) => r.value !== null).length,
      expected: outcome ? outcome.expected : periodReads.length,
      reads: periodReads,
    };
  });
  return { periods: result, inputs };
}
