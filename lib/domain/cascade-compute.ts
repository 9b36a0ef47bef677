import { aggregateSamples, aggregateValues } from '@/lib/domain/aggregation';
import type { Sample, TimeAggregation } from '@/lib/domain/aggregation';
import { periodStart, subPeriodStarts } from '@/lib/domain/periods';
import type { Cadence } from '@/lib/domain/periods';
import { isArithmeticRollup, rollupChildren } from '@/lib/domain/rollup';
import type { ChildContribution, RollupMethod } from '@/lib/domain/rollup';

/**
 * The value of every KPI for each of its periods (DESIGN section 2, "Values"), as pure functions.
 * The incremental engine (`lib/dal/cascade/recompute.ts`, walking `lib/domain/recompute.ts`) and `db:verify` both call these, so a stored
 * value and its from-scratch recomputation can only differ when a write missed a recompute.
 */

/** The KPI fields the cascade needs. Decimals are exact strings. */
export type CascadeKpi = {
  id: string;
  parentId: string | null;
  cadence: Cadence;
  timeAggregation: TimeAggregation;
  rollup: RollupMethod;
  weight: string;
  /** Org-local archiving date; the KPI leaves its parent's rollup for periods starting on or after it. */
  archivedOn: string | null;
};

/** One check-in as the cascade sees it; `createdAt` is an ISO timestamp (microseconds kept). */
export type CascadeCheckin = {
  id: string;
  kpiId: string;
  observedOn: string;
  value: string;
  createdAt: string;
};

/** A materialized period value (a `kpi_period_values` row without its keys). */
export type PeriodValue = {
  value: string;
  sampleCount: number;
  childrenReported: number;
  childrenExpected: number;
};

/** Period start -> value of one KPI (only periods with a value). */
export type KpiPeriodValues = ReadonlyMap<string, PeriodValue>;

/** A child of a computing KPI with its period values (only the values are read). */
export type ChildWithValues = {
  kpi: CascadeKpi;
  values: ReadonlyMap<string, { value: string }>;
};

/**
 * True when `child` counts in its parent's period starting on `parentPeriodStart`: always while
 * it is active, and for an archived child only in parent periods that start before its archiving
 * date (it leaves the rollup from then on; earlier periods keep their exact history).
 */
export function isChildIncluded(child: CascadeKpi, parentPeriodStart: string): boolean {
  return child.archivedOn === null || parentPeriodStart < child.archivedOn;
}

/**
 * Value of a `manual` KPI for one period: the time aggregation of the check-ins dated in it.
 * Check-ins are ordered by id first so `last` breaks complete ties the same way everywhere.
 * Null when there are none.
 */
export function computeManualPeriod(
  kpi: Pick<CascadeKpi, 'timeAggregation'>,
  checkinsInPeriod: readonly CascadeCheckin[],
): PeriodValue | null {
  if (checkinsInPeriod.length === 0) return null;
  const samples: Sample[] = [...checkinsInPeriod]
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
    .map((c) => ({ value: c.value, observedOn: c.observedOn, recordedAt: c.createdAt }));
  const { value, count } = aggregateSamples(kpi.timeAggregation, samples);
  if (value === null) return null;
  return { value, sampleCount: count, childrenReported: 0, childrenExpected: 0 };
}

/**
 * What one child contributes to its parent's period: its own value for that period when the
 * cadences match, else the time aggregation (the child's own method) of its period values inside
 * the parent's period, in chronological order. Null when it has none.
 */
export function childContribution(
  child: ChildWithValues,
  parentPeriodStart: string,
  parentCadence: Cadence,
): string | null {
  const values: string[] = [];
  for (const start of subPeriodStarts(parentPeriodStart, parentCadence, child.kpi.cadence)) {
    const found = child.values.get(start);
    if (found) values.push(found.value);
  }
  return aggregateValues(child.kpi.timeAggregation, values);
}

/**
 * Value of a computing (non-manual) KPI for one period: its rollup method over each included
 * child's contribution. Children without a value are left out and counted as missing; expected
 * is the number of included children; the sample count is the number of reporting children.
 * Null when no child reported (or for a `manual` KPI, whose value comes from check-ins).
 */
export function computeRollupPeriod(
  kpi: Pick<CascadeKpi, 'cadence' | 'rollup'>,
  parentPeriodStart: string,
  children: readonly ChildWithValues[],
): PeriodValue | null {
  if (!isArithmeticRollup(kpi.rollup)) return null;
  const contributions: ChildContribution[] = [];
  for (const child of children) {
    if (!isChildIncluded(child.kpi, parentPeriodStart)) continue;
    contributions.push({
      value: childContribution(child, parentPeriodStart, kpi.cadence),
      weight: child.kpi.weight,
    });
  }
  const result = rollupChildren(kpi.rollup, contributions);
  if (result.value === null) return null;
  return {
    value: result.value,
    sampleCount: result.reported,
    childrenReported: result.reported,
    childrenExpected: result.expected,
  };
}

/**
 * Periods (of the KPI's own cadence) in which a computing KPI may have a value: those containing
 * a value of a child that is included there. Ascending.
 */
export function rollupCandidatePeriods(
  kpi: Pick<CascadeKpi, 'cadence'>,
  children: readonly ChildWithValues[],
  fyStartMonth: number,
): string[] {
  const starts = new Set<string>();
  for (const child of children) {
    for (const childStart of child.values.keys()) {
      const start = periodStart(childStart, kpi.cadence, fyStartMonth);
      if (isChildIncluded(child.kpi, start)) starts.add(start);
    }
  }
  return [...starts].sort();
}

/**
 * Recomputes every period value of one organization from scratch: each KPI's values from its
 * check-ins (`manual`) or from its children (any arithmetic rollup), children before parents;
 * a `formula` KPI's values are taken from `formulaValues` (none without it: formulas are
 * evaluated around this by `computeAllWithFormulas` in lib/domain/formula/cascade.ts).
 * A non-manual KPI's own check-ins are ignored. Throws when the KPI links contain a cycle or a
 * parent that is not in the list.
 */
export function computeAllPeriodValues(
  kpis: readonly CascadeKpi[],
  checkins: readonly CascadeCheckin[],
  fyStartMonth: number,
  formulaValues: ReadonlyMap<string, ReadonlyMap<string, PeriodValue>> = new Map(),
): Map<string, Map<string, PeriodValue>> {
  const byId = new Map(kpis.map((k) => [k.id, k]));
  const childrenOf = new Map<string, CascadeKpi[]>();
  for (const kpi of kpis) {
    if (kpi.parentId === null) continue;
    if (!byId.has(kpi.parentId)) {
      throw new Error(`KPI ${kpi.id} links to a parent that does not exist: ${kpi.parentId}`);
    }
    const list = childrenOf.get(kpi.parentId);
    if (list) list.push(kpi);
    else childrenOf.set(kpi.parentId, [kpi]);
  }
  const checkinsByPeriod = new Map<string, Map<string, CascadeCheckin[]>>();
  for (const checkin of checkins) {
    const kpi = byId.get(checkin.kpiId);
    if (!kpi || kpi.rollup !== 'manual') continue;
    const start = periodStart(checkin.observedOn, kpi.cadence, fyStartMonth);
    let perKpi = checkinsByPeriod.get(kpi.id);
    if (!perKpi) checkinsByPeriod.set(kpi.id, (perKpi = new Map()));
    const list = perKpi.get(start);
    if (list) list.push(checkin);
    else perKpi.set(start, [checkin]);
  }

  const result = new Map<string, Map<string, PeriodValue>>();
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (kpi: CascadeKpi): Map<string, PeriodValue> => {
    const done = result.get(kpi.id);
    if (done) return done;
    if (state.get(kpi.id) === 'visiting') throw new Error(`KPI links contain a cycle at ${kpi.id}`);
    state.set(kpi.id, 'visiting');
    const values = new Map<string, PeriodValue>();
    if (kpi.rollup === 'formula') {
      for (const [start, v] of formulaValues.get(kpi.id) ?? []) values.set(start, v);
    } else if (kpi.rollup === 'manual') {
      const periods = [...(checkinsByPeriod.get(kpi.id) ?? new Map<string, CascadeCheckin[]>())];
      periods.sort(([a], [b]) => (a < b ? -1 : 1));
      for (const [start, list] of periods) {
        const computed = computeManualPeriod(kpi, list);
        if (computed) values.set(start, computed);
      }
    } else {
      const children: ChildWithValues[] = (childrenOf.get(kpi.id) ?? []).map((child) => ({
        kpi: child,
        values: visit(child),
      }));
      for (const start of rollupCandidatePeriods(kpi, children, fyStartMonth)) {
        const computed = computeRollupPeriod(kpi, start, children);
        if (computed) values.set(start, computed);
      }
    }
    // Children of a manual KPI still need their own values.
    for (const child of childrenOf.get(kpi.id) ?? []) visit(child);
    state.set(kpi.id, 'done');
    result.set(kpi.id, values);
    return values;
  };
  for (const kpi of kpis) visit(kpi);
  return result;
}

/** True when two period values are the same (value compared as a normalized decimal string). */
export function samePeriodValue(a: PeriodValue | null, b: PeriodValue | null): boolean {
  if (a === null || b === null) return a === b;
  return (
    a.value === b.value &&
    a.sampleCount === b.sampleCount &&
    a.childrenReported === b.childrenReported &&
    a.childrenExpected === b.childrenExpected
  );
}
