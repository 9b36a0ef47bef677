import { and, eq, gte, lt, or, sql, type AnyColumn, type SQL } from 'drizzle-orm';
import { execRows, type Tx } from '@/db/client';
import { checkins, kpiPeriodValues, kpis } from '@/db/schema';
import type { TimeAggregation } from '@/lib/domain/aggregation';
import {
  computeAllPeriodValues,
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
import { periodEndExclusive, periodStart, type Cadence } from '@/lib/domain/periods';
import type { RollupMethod } from '@/lib/domain/rollup';

/**
 * The incremental cascade engine: keeps `kpi_period_values` equal to the from-scratch
 * computation of `lib/domain/cascade-compute.ts` after every write, inside the writer's
 * transaction. Callers hold `lockOrgCascade` first. Every function here is tenant-scoped by the
 * `orgId` it is given and performs no authorization: the calling DAL function has done that.
 */

/**
 * Serializes every writer of one organization's unit tree, KPI cascade and check-ins until the
 * end of the caller's transaction (`pg_advisory_xact_lock` keyed on the org id). Take it before
 * reading anything a write depends on, so reads made after it see every earlier writer's commit.
 */
export async function lockOrgCascade(tx: Tx, orgId: string): Promise<void> {
  await tx.execute(lockOrgCascadeSql(orgId));
}

/** The statement of lockOrgCascade (for a pipelined transaction). */
export function lockOrgCascadeSql(orgId: string): SQL {
  return sql`select pg_advisory_xact_lock(hashtextextended(${orgId}::text, 42))`;
}

/**
 * The locks of a writer that only adds a value under one KPI tree (a single check-in), as two
 * statements to send in this order: the org cascade lock in shared mode, so every other writer
 * (which takes it exclusively) still waits for it and it for them, then an exclusive lock on the
 * root of the KPI's tree, which serializes it with the writers of the same tree only. Check-ins
 * under different north stars then run side by side: the rollup of one tree never reads or
 * writes another's rows. The tree cannot change while the shared lock is held, so the root found
 * here stays the root; statements sent after them see every commit of earlier writers of the
 * tree. A KPI that does not exist locks no tree (the caller's checks then refuse it).
 */
export function kpiTreeLockSql(orgId: string, kpiId: string): [SQL, SQL] {
  return [
    sql`select pg_advisory_xact_lock_shared(hashtextextended(${orgId}::text, 42))`,
    // Two int4 keys: a lock space apart from the org lock's one int8 key.
    sql`with recursive up as (
          select k.id, k.parent_id, 0 as depth from kpis k
           where k.org_id = ${orgId}::uuid and k.id = ${kpiId}::uuid
          union all
          select k.id, k.parent_id, up.depth + 1 from kpis k
            join up on k.org_id = ${orgId}::uuid and k.id = up.parent_id
           where up.depth < 64
        )
        select pg_advisory_xact_lock(hashtext(${orgId}::text), hashtext(up.id::text))
          from up where up.parent_id is null`,
  ];
}

/** `column = any($1::uuid[])` with one parameter however many ids (no parameter-count limit). */
function inUuids(column: SQL | AnyColumn, ids: readonly string[]): SQL {
  return sql`${column} = any(${`{${ids.join(',')}}`}::uuid[])`;
}

/** Columns the cascade reads of a KPI. */
const cascadeKpiColumns = {
  id: kpis.id,
  parentId: kpis.parentId,
  cadence: kpis.cadence,
  timeAggregation: kpis.timeAggregation,
  rollup: kpis.rollup,
  weight: kpis.weight,
  archivedOn: kpis.archivedOn,
};

/** A KPI row as the cascade reads it (decimals as the database gives them). */
export type CascadeKpiRow = {
  id: string;
  parentId: string | null;
  cadence: Cadence;
  timeAggregation: TimeAggregation;
  rollup: RollupMethod;
  weight: string;
  archivedOn: string | null;
};

export function toCascadeKpi(row: CascadeKpiRow): CascadeKpi {
  return { ...row, weight: normalizeDecimal(row.weight) };
}

/** A check-in's recording instant as an ISO string with microseconds (JS Dates drop them). */
export const checkinRecordedAtSql: SQL<string> = utcMicrosSql(sql`${checkins.createdAt}`);

/** A timestamp as the cascade compares instants: ISO in UTC with microseconds. */
export function utcMicrosSql(timestamp: SQL): SQL<string> {
  return sql<string>`to_char(${timestamp} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;
}

/** Loads the KPIs of one org for the cascade (all of them, or those with the given ids). */
export async function loadCascadeKpis(
  tx: Tx,
  orgId: string,
  ids?: readonly string[],
): Promise<CascadeKpi[]> {
  if (ids && ids.length === 0) return [];
  const rows = await tx
    .select(cascadeKpiColumns)
    .from(kpis)
    .where(and(eq(kpis.orgId, orgId), ids ? inUuids(kpis.id, ids) : undefined));
  return rows.map(toCascadeKpi);
}

/** Check-ins matching `where`, as the cascade reads them (values as stored). */
function selectCascadeCheckins(tx: Tx, where: SQL | undefined) {
  return tx
    .select({
      id: checkins.id,
      kpiId: checkins.kpiId,
      observedOn: checkins.observedOn,
      value: checkins.value,
      createdAt: checkinRecordedAtSql,
    })
    .from(checkins)
    .where(where);
}

/** Loads check-ins of one org (optionally of some KPIs, optionally in `[from, to)`). */
export async function loadCascadeCheckins(
  tx: Tx,
  orgId: string,
  filter: { kpiIds?: readonly string[]; from?: string; to?: string } = {},
): Promise<CascadeCheckin[]> {
  if (filter.kpiIds && filter.kpiIds.length === 0) return [];
  const rows = await selectCascadeCheckins(
    tx,
    and(
      eq(checkins.orgId, orgId),
      filter.kpiIds ? inUuids(checkins.kpiId, filter.kpiIds) : undefined,
      filter.from ? gte(checkins.observedOn, filter.from) : undefined,
      filter.to ? lt(checkins.observedOn, filter.to) : undefined,
    ),
  );
  return rows.map((r) => ({ ...r, value: normalizeDecimal(r.value) }));
}

/** Stored period values matching `where`, grouped KPI -> period start -> value (normalized). */
async function selectPeriodValues(
  tx: Tx,
  where: SQL | undefined,
): Promise<Map<string, Map<string, PeriodValue>>> {
  const rows = await tx
    .select({
      kpiId: kpiPeriodValues.kpiId,
      periodStart: kpiPeriodValues.periodStart,
      value: kpiPeriodValues.value,
      sampleCount: kpiPeriodValues.sampleCount,
      childrenReported: kpiPeriodValues.childrenReported,
      childrenExpected: kpiPeriodValues.childrenExpected,
    })
    .from(kpiPeriodValues)
    .where(where);
  return groupPeriodValues(rows);
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

/** Stored period values of one org (optionally of some KPIs, optionally with start in `[from, to)`). */
export async function loadStoredPeriodValues(
  tx: Tx,
  orgId: string,
  filter: { kpiIds?: readonly string[]; from?: string; to?: string } = {},
): Promise<Map<string, Map<string, PeriodValue>>> {
  if (filter.kpiIds && filter.kpiIds.length === 0) return new Map();
  return selectPeriodValues(
    tx,
    and(
      eq(kpiPeriodValues.orgId, orgId),
      filter.kpiIds ? inUuids(kpiPeriodValues.kpiId, filter.kpiIds) : undefined,
      filter.from ? gte(kpiPeriodValues.periodStart, filter.from) : undefined,
      filter.to ? lt(kpiPeriodValues.periodStart, filter.to) : undefined,
    ),
  );
}

/** Above this many ranges (large batches) one enclosing range is cheaper than a long `or`. */
const MAX_RANGE_TERMS = 50;

function collapseRanges(
  ranges: readonly { kpiIds: readonly string[]; from: string; to: string }[],
): {
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

/** Check-ins of some KPIs, each with its own `[from, to)` date range (one query). */
async function loadCheckinsInRanges(
  tx: Tx,
  orgId: string,
  ranges: readonly { kpiId: string; from: string; to: string }[],
): Promise<CascadeCheckin[]> {
  if (ranges.length === 0) return [];
  if (ranges.length > MAX_RANGE_TERMS) {
    const all = collapseRanges(ranges.map((r) => ({ kpiIds: [r.kpiId], from: r.from, to: r.to })));
    return loadCascadeCheckins(tx, orgId, all);
  }
  const rows = await selectCascadeCheckins(
    tx,
    and(
      eq(checkins.orgId, orgId),
      or(
        ...ranges.map((r) =>
          and(
            eq(checkins.kpiId, r.kpiId),
            gte(checkins.observedOn, r.from),
            lt(checkins.observedOn, r.to),
          ),
        ),
      ),
    ),
  );
  // `numeric` text such as "12.500000" is exact; the domain normalizes what it returns.
  return rows;
}

/** Stored period values of groups of KPIs, each group with its own `[from, to)` range (one query). */
async function loadStoredInRanges(
  tx: Tx,
  orgId: string,
  ranges: readonly { kpiIds: readonly string[]; from: string; to: string }[],
): Promise<Map<string, Map<string, PeriodValue>>> {
  if (ranges.length === 0) return new Map();
  if (ranges.length > MAX_RANGE_TERMS)
    return loadStoredPeriodValues(tx, orgId, collapseRanges(ranges));
  return selectPeriodValues(
    tx,
    and(
      eq(kpiPeriodValues.orgId, orgId),
      or(
        ...ranges.map((r) =>
          and(
            inUuids(kpiPeriodValues.kpiId, r.kpiIds),
            gte(kpiPeriodValues.periodStart, r.from),
            lt(kpiPeriodValues.periodStart, r.to),
          ),
        ),
      ),
    ),
  );
}

/**
 * The KPIs with the given ids, all their ancestors (`inChain`), and the children of every
 * computing KPI among them (`inChain` false unless also on a chain), in one recursive query.
 */
async function loadChainsWithChildren(
  tx: Tx,
  orgId: string,
  ids: readonly string[],
): Promise<{ chain: CascadeKpi[]; children: CascadeKpi[] }> {
  const rows = await execRows<{
    in_chain: boolean;
    id: string;
    parent_id: string | null;
    cadence: Cadence;
    time_aggregation: TimeAggregation;
    rollup: RollupMethod;
    weight: string;
    archived_on: string | null;
  }>(
    tx,
    sql`with recursive chain as (
          select k.id, k.parent_id, k.cadence, k.time_aggregation, k.rollup, k.weight, k.archived_on
            from kpis k where k.org_id = ${orgId}::uuid and ${inUuids(sql`k.id`, ids)}
          union
          select k.id, k.parent_id, k.cadence, k.time_aggregation, k.rollup, k.weight, k.archived_on
            from kpis k join chain c on k.org_id = ${orgId}::uuid and k.id = c.parent_id
        )
        select true as in_chain, id, parent_id, cadence, time_aggregation, rollup,
               weight::text as weight, archived_on::text as archived_on
          from chain
        union all
        select false, k.id, k.parent_id, k.cadence, k.time_aggregation, k.rollup,
               k.weight::text, k.archived_on::text
          from kpis k
         where k.org_id = ${orgId}::uuid
           and k.parent_id in (select id from chain where rollup <> 'manual')`,
  );
  const chain: CascadeKpi[] = [];
  const children: CascadeKpi[] = [];
  for (const r of rows) {
    const kpi = toCascadeKpi({
      id: r.id,
      parentId: r.parent_id,
      cadence: r.cadence,
      timeAggregation: r.time_aggregation,
      rollup: r.rollup,
      weight: String(r.weight),
      archivedOn: r.archived_on === null ? null : String(r.archived_on),
    });
    // postgres.js gives booleans, PGlite too; be lenient with 't'
    if (r.in_chain === true || String(r.in_chain) === 't') chain.push(kpi);
    else children.push(kpi);
  }
  return { chain, children };
}

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const map = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = map.get(k);
    if (list) list.push(item);
    else map.set(k, [item]);
  }
  return map;
}

/**
 * Recomputes the given KPIs for the given periods and then every ancestor for the enclosing
 * periods, deepest level first, writing `kpi_period_values` (upsert where there is a value,
 * delete where there is none). Period starts are normalized to each KPI's cadence, so any date
 * inside a period (or a period start of an earlier cadence) names it. The sources' periods are
 * always passed up; above them a period is passed up only when its value appeared, changed or
 * disappeared (a child's counts never change its parent).
 *
 * A manual KPI is recomputed only as a source: children never change its value, so the walk
 * stops there. Round trips, whatever the depth: one query for the chains and the children of
 * computing KPIs on them, one for the sources' check-ins and one for stored values (pipelined;
 * each KPI limited to the periods the walk can reach on it), then one upsert and at most one
 * delete. Caller holds `lockOrgCascade`.
 */
export async function recomputeMany(
  tx: Tx,
  orgId: string,
  fyStartMonth: number,
  sources: ReadonlyMap<string, Iterable<string>>,
): Promise<void> {
  if (sources.size === 0) return;
  const { chain, children } = await loadChainsWithChildren(tx, orgId, [...sources.keys()]);
  const plan = planRecompute(chain, children, fyStartMonth, sources);
  if (!plan) return;
  const [chainCheckins, stored] = await Promise.all([
    loadCheckinsInRanges(tx, orgId, plan.checkinRanges),
    loadStoredInRanges(tx, orgId, plan.storedRanges),
  ]);
  const { upserts, deletes } = walkRecompute(plan, chainCheckins, stored);
  await writePeriodValues(tx, orgId, upserts, deletes);
}

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

function addPending(
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
    if (periods.length === 0 || (kpi.rollup === 'manual' && !isSource)) continue;
    let own = stored.get(kpi.id);
    if (!own) stored.set(kpi.id, (own = new Map()));
    const kids: ChildWithValues[] = (childrenOf.get(kpi.id) ?? []).map((child) => ({
      kpi: child,
      values: stored.get(child.id) ?? new Map<string, PeriodValue>(),
    }));
    const kpiCheckins = checkinsByKpi.get(kpi.id) ?? [];
    const parent = kpi.parentId === null ? undefined : byId.get(kpi.parentId);
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

/** `{a,b,c}`: a Postgres array literal of values that need no quoting (ids, dates, decimals, ints). */
function arrayLiteral(values: readonly (string | number)[]): string {
  return `{${values.join(',')}}`;
}

/** One statement upserting period values (any number: one parameter per column). */
export function upsertPeriodValuesSql(orgId: string, rows: readonly PeriodValueRow[]): SQL {
  return sql`insert into kpi_period_values
      (org_id, kpi_id, period_start, value, sample_count, children_reported, children_expected, updated_at)
    select ${orgId}::uuid, u.kpi_id, u.period_start, u.value, u.sample_count, u.children_reported,
           u.children_expected, now()
      from unnest(${arrayLiteral(rows.map((r) => r.kpiId))}::uuid[],
                  ${arrayLiteral(rows.map((r) => r.periodStart))}::date[],
                  ${arrayLiteral(rows.map((r) => r.value))}::numeric[],
                  ${arrayLiteral(rows.map((r) => r.sampleCount))}::int[],
                  ${arrayLiteral(rows.map((r) => r.childrenReported))}::int[],
                  ${arrayLiteral(rows.map((r) => r.childrenExpected))}::int[])
        as u(kpi_id, period_start, value, sample_count, children_reported, children_expected)
    on conflict (org_id, kpi_id, period_start) do update set
      value = excluded.value, sample_count = excluded.sample_count,
      children_reported = excluded.children_reported,
      children_expected = excluded.children_expected, updated_at = now()`;
}

/** One statement deleting the period values with these keys. */
export function deletePeriodValuesSql(
  orgId: string,
  keys: readonly { kpiId: string; periodStart: string }[],
): SQL {
  return sql`delete from kpi_period_values
    where org_id = ${orgId}::uuid
      and (kpi_id, period_start) in (
        select * from unnest(${arrayLiteral(keys.map((k) => k.kpiId))}::uuid[],
                             ${arrayLiteral(keys.map((k) => k.periodStart))}::date[]))`;
}

async function writePeriodValues(
  tx: Tx,
  orgId: string,
  upserts: readonly PeriodValueRow[],
  deletes: readonly { kpiId: string; periodStart: string }[],
): Promise<void> {
  // Chunked so a whole-org rebuild does not build one huge statement.
  for (let i = 0; i < upserts.length; i += 5000)
    await tx.execute(upsertPeriodValuesSql(orgId, upserts.slice(i, i + 5000)));
  for (let i = 0; i < deletes.length; i += 5000)
    await tx.execute(deletePeriodValuesSql(orgId, deletes.slice(i, i + 5000)));
}

/**
 * Recomputes one KPI for the given periods (any date inside a period names it) and walks up its
 * ancestors, in the caller's transaction. Caller holds `lockOrgCascade`.
 */
export async function recomputeFrom(
  tx: Tx,
  orgId: string,
  fyStartMonth: number,
  kpiId: string,
  periodStarts: Iterable<string>,
): Promise<void> {
  await recomputeMany(tx, orgId, fyStartMonth, new Map([[kpiId, periodStarts]]));
}

/**
 * Recomputes every period of the given KPIs (those stored now plus those their check-ins or
 * children give them under their current rollup and cadence) and their ancestors. Used after
 * link, unlink, archive, rollup-method, weight, aggregation or cadence changes. With
 * `resetStored` the KPIs' stored rows are deleted first (needed when the cadence changed, so no
 * row of the old cadence survives). Caller holds `lockOrgCascade`.
 */
export async function recomputeAllPeriods(
  tx: Tx,
  orgId: string,
  fyStartMonth: number,
  kpiIds: readonly (string | null | undefined)[],
  options: { resetStored?: boolean } = {},
): Promise<void> {
  const ids = [...new Set(kpiIds.filter((id): id is string => typeof id === 'string'))];
  if (ids.length === 0) return;
  const targets = await loadCascadeKpis(tx, orgId, ids);
  if (targets.length === 0) return;
  const targetIds = targets.map((k) => k.id);
  const children = (
    await tx
      .select(cascadeKpiColumns)
      .from(kpis)
      .where(and(eq(kpis.orgId, orgId), inUuids(kpis.parentId, targetIds)))
  ).map(toCascadeKpi);
  const [stored, storedChildren, own] = await Promise.all([
    loadStoredPeriodValues(tx, orgId, { kpiIds: targetIds }),
    loadStoredPeriodValues(tx, orgId, { kpiIds: children.map((c) => c.id) }),
    execRows<{ kpi_id: string; observed_on: string | Date }>(
      tx,
      sql`select distinct kpi_id, observed_on::text as observed_on from checkins
          where org_id = ${orgId}::uuid and ${inUuids(sql`kpi_id`, targetIds)}`,
    ),
  ]);
  const ownDates = groupBy(own, (r) => r.kpi_id);
  const childrenOf = groupBy(children, (c) => c.parentId ?? '');
  const sources = new Map<string, string[]>();
  for (const kpi of targets) {
    const periods = new Set<string>(stored.get(kpi.id)?.keys() ?? []);
    if (kpi.rollup === 'manual') {
      for (const r of ownDates.get(kpi.id) ?? []) periods.add(String(r.observed_on));
    } else {
      const withValues: ChildWithValues[] = (childrenOf.get(kpi.id) ?? []).map((child) => ({
        kpi: child,
        values: storedChildren.get(child.id) ?? new Map<string, PeriodValue>(),
      }));
      for (const p of rollupCandidatePeriods(kpi, withValues, fyStartMonth)) periods.add(p);
    }
    sources.set(kpi.id, [...periods]);
  }
  if (options.resetStored) {
    await tx
      .delete(kpiPeriodValues)
      .where(and(eq(kpiPeriodValues.orgId, orgId), inUuids(kpiPeriodValues.kpiId, targetIds)));
  }
  await recomputeMany(tx, orgId, fyStartMonth, sources);
}

/**
 * Replaces every stored period value of one organization by its from-scratch computation (for
 * example after the fiscal-year start month changed, or to repair drift). Caller holds
 * `lockOrgCascade`.
 */
export async function rebuildOrgPeriodValues(
  tx: Tx,
  orgId: string,
  fyStartMonth: number,
): Promise<number> {
  const [allKpis, allCheckins] = await Promise.all([
    loadCascadeKpis(tx, orgId),
    loadCascadeCheckins(tx, orgId),
  ]);
  const computed = computeAllPeriodValues(allKpis, allCheckins, fyStartMonth);
  await tx.delete(kpiPeriodValues).where(eq(kpiPeriodValues.orgId, orgId));
  const rows = [...computed].flatMap(([kpiId, periods]) =>
    [...periods].map(([start, v]) => ({ kpiId, periodStart: start, ...v })),
  );
  await writePeriodValues(tx, orgId, rows, []);
  return rows.length;
}
