import {
  computeManualPeriod,
  computeRollupPeriod,
  rollupCandidatePeriods,
  samePeriodValue,
  type CascadeCheckin,
  type CascadeKpi,
  type ChildWithValues,
  type PeriodValue,
} from '@/lib/domain/cascade-compute';
import { normalizeDecimal } from '@/lib/domain/decimal';
import { periodEndExclusive, periodStart } from '@/lib/domain/periods';
import { isArithmeticRollup } from '@/lib/domain/rollup';

/*
 * The incremental recompute, as pure rules: which (KPI, period) pairs a write touches, and the
 * walk up the chains that turns loaded check-ins and stored values into the rows to upsert and
 * delete. `lib/dal/cascade/recompute.ts` and the pipelined check-in load and write around them.
 * No I/O, no tenant: the caller has scoped every input to one organization.
 */

/** What a recompute reads and walks: the chains, the pending periods and the ranges to load. */
export type RecomputePlan = {
  sources: ReadonlyMap<string, Iterable<string>>;
  fyStartMonth: number;
  chain: CascadeKpi[];
  byId: Map<string, CascadeKpi>;
  childrenOf: Map<string, CascadeKpi[]>;
  /** KPI -> period starts to recompute (grows during the walk as values change). */
  pending: Map<string, Set<string>>;
  /** Check-ins to load: the manual sources', over every period the walk can reach on them. */
  checkinRanges: { kpiId: string; from: string; to: string }[];
  /** Stored values to load: each chain KPI and its children, over its reachable periods. */
  storedRanges: { kpiIds: string[]; from: string; to: string }[];
};

/**
 * Plans a recompute of the `sources` (KPI -> dates naming its periods) on their loaded chains
 * (`chain`: the sources and their ancestors; `children`: the children of every computing KPI on
 * them). Null when no source is on a chain (not in this org). Pure.
 */
export function planRecompute(
  chain: CascadeKpi[],
  children: readonly CascadeKpi[],
  fyStartMonth: number,
  sources: ReadonlyMap<string, Iterable<string>>,
): RecomputePlan | null {
  const byId = new Map(chain.map((k) => [k.id, k]));
  const childrenOf = groupBy(children, (c) => c.parentId ?? '');
  const pending = new Map<string, Set<string>>();
  // Every period the walk can reach on each chain KPI: the enclosing periods of the sources'.
  const reach = new Map<string, { from: string; to: string }>();
  const extend = (kpi: CascadeKpi, date: string): void => {
    const start = periodStart(date, kpi.cadence, fyStartMonth);
    const end = periodEndExclusive(start, kpi.cadence);
    const range = reach.get(kpi.id);
    if (!range) reach.set(kpi.id, { from: start, to: end });
    else {
      if (start < range.from) range.from = start;
      if (end > range.to) range.to = end;
    }
  };
  for (const [id, periods] of sources) {
    const kpi = byId.get(id);
    if (!kpi) continue; // not in this org: nothing to do
    for (const p of periods) {
      addPending(pending, kpi, p, fyStartMonth);
      const seen = new Set<string>();
      for (
        let k: CascadeKpi | undefined = kpi;
        k && !seen.has(k.id);
        k = k.parentId === null ? undefined : byId.get(k.parentId)
      ) {
        seen.add(k.id);
        extend(k, p);
      }
    }
  }
  if (pending.size === 0) return null;
  // A manual KPI's value comes from its own check-ins only: recomputed when it is a source,
  // never because of a child (it only shows alignment).
  const checkinRanges = [...sources.keys()].flatMap((id) => {
    const kpi = byId.get(id);
    const range = reach.get(id);
    return kpi?.rollup === 'manual' && range ? [{ kpiId: id, ...range }] : [];
  });
  const storedRanges = chain.flatMap((kpi) => {
    const range = reach.get(kpi.id);
    if (!range) return [];
    const ids = [kpi.id, ...(childrenOf.get(kpi.id) ?? []).map((c) => c.id)];
    return [{ kpiIds: ids, ...range }];
  });
  return { sources, fyStartMonth, chain, byId, childrenOf, pending, checkinRanges, storedRanges };
}

/** Adds the period of `kpi` containing `date` to its pending set. */
export function addPending(
  pending: Map<string, Set<string>>,
  kpi: CascadeKpi,
  date: string,
  fyStartMonth: number,
): void {
  const start = periodStart(date, kpi.cadence, fyStartMonth);
  let set = pending.get(kpi.id);
  if (!set) pending.set(kpi.id, (set = new Set()));
  set.add(start);
}

/** A period value with its keys (a `kpi_period_values` row without the org). */
export type PeriodValueRow = PeriodValue & { kpiId: string; periodStart: string };

/**
 * Walks a plan deepest level first with the loaded check-ins and stored values (`stored` is
 * updated in place), and returns the rows to upsert and delete. Pure.
 */
export function walkRecompute(
  plan: RecomputePlan,
  chainCheckins: readonly CascadeCheckin[],
  stored: Map<string, Map<string, PeriodValue>>,
): { upserts: PeriodValueRow[]; deletes: { kpiId: string; periodStart: string }[] } {
  const { sources, fyStartMonth, chain, byId, childrenOf, pending } = plan;
  const checkinsByKpi = groupBy(chainCheckins, (c) => c.kpiId);

  const depthOf = new Map<string, number>();
  for (const kpi of chain) {
    let d = 0;
    const seen = new Set<string>([kpi.id]);
    for (let p = kpi.parentId; p !== null && !seen.has(p); p = byId.get(p)?.parentId ?? null) {
      seen.add(p);
      d += 1;
    }
    depthOf.set(kpi.id, d);
  }
  const ordered = [...chain].sort((a, b) => (depthOf.get(b.id) ?? 0) - (depthOf.get(a.id) ?? 0));

  const upserts = new Map<string, PeriodValueRow>();
  const deletes = new Map<string, { kpiId: string; periodStart: string }>();
  for (const kpi of ordered) {
    const periods = [...(pending.get(kpi.id) ?? [])].sort();
    const isSource = sources.has(kpi.id);
    // Manual and formula KPIs: children never change their value (they only show alignment).
    if (periods.length === 0 || (!isArithmeticRollup(kpi.rollup) && !isSource)) continue;
    const parent = kpi.parentId === null ? undefined : byId.get(kpi.parentId);
    if (kpi.rollup === 'formula') {
      // Written by the formula pass (lib/dal/cascade/formulas.ts); as a source it passes its
      // periods up to its parent.
      if (parent) for (const start of periods) addPending(pending, parent, start, fyStartMonth);
      continue;
    }
    let own = stored.get(kpi.id);
    if (!own) stored.set(kpi.id, (own = new Map()));
    const kids: ChildWithValues[] = (childrenOf.get(kpi.id) ?? []).map((child) => ({
      kpi: child,
      values: stored.get(child.id) ?? new Map<string, PeriodValue>(),
    }));
    const kpiCheckins = checkinsByKpi.get(kpi.id) ?? [];
    for (const start of periods) {
      let next: PeriodValue | null;
      if (kpi.rollup === 'manual') {
        const end = periodEndExclusive(start, kpi.cadence);
        next = computeManualPeriod(
          kpi,
          kpiCheckins.filter((c) => c.observedOn >= start && c.observedOn < end),
        );
      } else {
        next = computeRollupPeriod(kpi, start, kids);
      }
      const before = own.get(start) ?? null;
      const key = `${kpi.id}|${start}`;
      if (next) {
        if (!samePeriodValue(before, next)) {
          upserts.set(key, { kpiId: kpi.id, periodStart: start, ...next });
          own.set(start, next); // the parent level reads it from memory
        }
      } else if (before) {
        deletes.set(key, { kpiId: kpi.id, periodStart: start });
        own.delete(start);
      }
      const valueChanged = (before?.value ?? null) !== (next?.value ?? null);
      if (parent && (isSource || valueChanged)) addPending(pending, parent, start, fyStartMonth);
    }
  }
  return { upserts: [...upserts.values()], deletes: [...deletes.values()] };
}

/**
 * The sources of a recompute of every period of `targets`: for each, the periods stored now plus
 * those its check-in dates (manual) or its children's stored values (computing) give it under its
 * current rollup and cadence. `stored` holds the targets' values, `childValues` their children's.
 */
export function allPeriodSources(
  targets: readonly CascadeKpi[],
  children: readonly CascadeKpi[],
  stored: ReadonlyMap<string, ReadonlyMap<string, PeriodValue>>,
  childValues: ReadonlyMap<string, ReadonlyMap<string, PeriodValue>>,
  checkinDates: readonly { kpiId: string; observedOn: string }[],
  fyStartMonth: number,
): Map<string, string[]> {
  const ownDates = groupBy(checkinDates, (r) => r.kpiId);
  const childrenOf = groupBy(children, (c) => c.parentId ?? '');
  const sources = new Map<string, string[]>();
  for (const kpi of targets) {
    const periods = new Set<string>(stored.get(kpi.id)?.keys() ?? []);
    if (kpi.rollup === 'manual') {
      for (const r of ownDates.get(kpi.id) ?? []) periods.add(r.observedOn);
    } else {
      const withValues: ChildWithValues[] = (childrenOf.get(kpi.id) ?? []).map((child) => ({
        kpi: child,
        values: childValues.get(child.id) ?? new Map<string, PeriodValue>(),
      }));
      for (const p of rollupCandidatePeriods(kpi, withValues, fyStartMonth)) periods.add(p);
    }
    sources.set(kpi.id, [...periods]);
  }
  return sources;
}

/** Items grouped by a key, in input order within each group. */
export function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const map = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = map.get(k);
    if (list) list.push(item);
    else map.set(k, [item]);
  }
  return map;
}

/** Period value rows grouped KPI -> period start -> value (normalized). */
export function groupPeriodValues(
  rows: Iterable<PeriodValueRow>,
): Map<string, Map<string, PeriodValue>> {
  const result = new Map<string, Map<string, PeriodValue>>();
  for (const row of rows) {
    let perKpi = result.get(row.kpiId);
    if (!perKpi) result.set(row.kpiId, (perKpi = new Map()));
    perKpi.set(row.periodStart, {
      value: normalizeDecimal(row.value),
      sampleCount: row.sampleCount,
      childrenReported: row.childrenReported,
      childrenExpected: row.childrenExpected,
    });
  }
  return result;
}

/** A date range of some KPIs (check-ins by date, stored values by period start). */
export type KpiRange = { kpiIds: readonly string[]; from: string; to: string };

/** One range enclosing all of them: every KPI of any, from the earliest start to the latest end. */
export function collapseRanges(ranges: readonly KpiRange[]): {
  kpiIds: string[];
  from: string;
  to: string;
} {
  let from = ranges[0]?.from ?? '';
  let to = ranges[0]?.to ?? '';
  for (const r of ranges) {
    if (r.from < from) from = r.from;
    if (r.to > to) to = r.to;
  }
  return { kpiIds: [...new Set(ranges.flatMap((r) => r.kpiIds))], from, to };
}
