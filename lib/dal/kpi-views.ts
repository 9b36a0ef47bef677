import { aliasedTable, and, desc, eq, inArray, isNull } from 'drizzle-orm';
import { withOrgRead, type Executor } from '@/db/client';
import {
  auditLog,
  checkins,
  kpiPeriodValues,
  kpis,
  kpiTargets,
  memberships,
  units,
  users,
} from '@/db/schema';
import { can } from '@/lib/authz/can';
import { todayInTimeZone } from '@/lib/domain/dates';
import type { MeasureUnit } from '@/lib/domain/format';
import {
  enclosingPeriodStarts,
  periodLabel,
  periodStart,
  periodStartsInRange,
  previousPeriodStart,
  type Cadence,
} from '@/lib/domain/periods';
import { evaluatePeriod, type Direction, type Status } from '@/lib/domain/progress';
import { contributionShares, type RollupMethod } from '@/lib/domain/rollup';
import type { TimeAggregation } from '@/lib/domain/aggregation';
import { subtreeIds } from '@/lib/domain/tree';
import { notFoundError } from '@/lib/errors';
import type { OrgContext } from '@/lib/server/org-context';
import { listUnitParents } from './units';

/** One KPI's value, target and status for one of its periods. */
export type KpiPeriodView = {
  start: string;
  label: string;
  value: string | null;
  target: string | null;
  progress: number | null;
  paceProgress: number | null;
  status: Status;
  childrenReported: number;
  childrenExpected: number;
};

/** A KPI as lists and trees show it, with its current period. */
export type KpiSummary = {
  id: string;
  key: string | null;
  name: string;
  unitId: string;
  unitName: string;
  ownerUserId: string | null;
  ownerName: string | null;
  parentId: string | null;
  isIndividual: boolean;
  isNorthStar: boolean;
  measureUnit: MeasureUnit;
  currency: string | null;
  decimals: number;
  direction: Direction;
  cadence: Cadence;
  timeAggregation: TimeAggregation;
  rollup: RollupMethod;
  category: 'strategic' | 'operational' | 'functional';
  indicator: 'leading' | 'lagging';
  archivedOn: string | null;
  /** Home unit of the owner (individual KPI scope of a lead). */
  ownerHomeUnitId: string | null;
  baseline: string | null;
  defaultTarget: string | null;
  /** Version seen (optimistic concurrency of edits, links and archiving). */
  version: number;
  current: KpiPeriodView;
};

const ownerMembership = aliasedTable(memberships, 'owner_membership');
const ownerUser = aliasedTable(users, 'owner_user');

const summaryColumns = {
  id: kpis.id,
  key: kpis.key,
  name: kpis.name,
  unitId: kpis.unitId,
  unitName: units.name,
  ownerUserId: kpis.ownerUserId,
  ownerName: ownerUser.name,
  ownerHomeUnitId: ownerMembership.homeUnitId,
  parentId: kpis.parentId,
  isIndividual: kpis.isIndividual,
  isNorthStar: kpis.isNorthStar,
  measureUnit: kpis.measureUnit,
  currency: kpis.currency,
  decimals: kpis.decimals,
  direction: kpis.direction,
  cadence: kpis.cadence,
  timeAggregation: kpis.timeAggregation,
  rollup: kpis.rollup,
  category: kpis.category,
  indicator: kpis.indicator,
  archivedOn: kpis.archivedOn,
  baseline: kpis.baseline,
  defaultTarget: kpis.defaultTarget,
  description: kpis.description,
  weight: kpis.weight,
  version: kpis.version,
};

type KpiRow = {
  id: string;
  ownerUserId: string | null;
  ownerHomeUnitId: string | null;
  isIndividual: boolean;
  unitId: string;
};

function baseQuery(db: Executor, orgId: string) {
  return db
    .select(summaryColumns)
    .from(kpis)
    .innerJoin(units, and(eq(units.orgId, kpis.orgId), eq(units.id, kpis.unitId)))
    .leftJoin(
      ownerMembership,
      and(eq(ownerMembership.orgId, kpis.orgId), eq(ownerMembership.userId, kpis.ownerUserId)),
    )
    .leftJoin(ownerUser, eq(ownerUser.id, kpis.ownerUserId))
    .where(eq(kpis.orgId, orgId))
    .$dynamic();
}

/** True when the actor may see this KPI (individual KPIs: the person, leads above, admins). */
export function canSeeKpi(ctx: OrgContext, row: KpiRow): boolean {
  return can(ctx, 'kpis.read', {
    isIndividual: row.isIndividual,
    ownerUserId: row.ownerUserId,
    ownerHomeUnitId: row.ownerHomeUnitId,
  });
}

type PeriodInputs = {
  values: Map<string, { value: string; childrenReported: number; childrenExpected: number }>;
  targets: Map<string, string>;
};

/**
 * Stored period values and target overrides of some KPIs for some period starts, keyed
 * `kpiId|start` (one round trip; large orgs filter by period only). Tenant-scoped by orgId.
 */
export async function loadPeriodInputs(
  orgId: string,
  kpiIds: string[],
  starts: string[],
): Promise<PeriodInputs> {
  if (kpiIds.length === 0 || starts.length === 0) return { values: new Map(), targets: new Map() };
  return withOrgRead(orgId, async (db) => {
    const byKpi = kpiIds.length <= 2000 ? inArray(kpiPeriodValues.kpiId, kpiIds) : undefined;
    const [valueRows, targetRows] = await Promise.all([
      db
        .select({
          kpiId: kpiPeriodValues.kpiId,
          start: kpiPeriodValues.periodStart,
          value: kpiPeriodValues.value,
          childrenReported: kpiPeriodValues.childrenReported,
          childrenExpected: kpiPeriodValues.childrenExpected,
        })
        .from(kpiPeriodValues)
        .where(and(eq(kpiPeriodValues.orgId, orgId), inArray(kpiPeriodValues.periodStart, starts), byKpi)),
      db
        .select({ kpiId: kpiTargets.kpiId, start: kpiTargets.periodStart, target: kpiTargets.target })
        .from(kpiTargets)
        .where(
          and(
            eq(kpiTargets.orgId, orgId),
            inArray(kpiTargets.periodStart, starts),
            kpiIds.length <= 2000 ? inArray(kpiTargets.kpiId, kpiIds) : undefined,
          ),
        ),
    ]);
    return {
      values: new Map(valueRows.map((r) => [`${r.kpiId}|${r.start}`, r])),
      targets: new Map(targetRows.map((r) => [`${r.kpiId}|${r.start}`, r.target])),
    };
  });
}

function periodView(
  ctx: OrgContext,
  kpi: {
    id: string;
    cadence: Cadence;
    direction: Direction;
    timeAggregation: TimeAggregation;
    baseline: string | null;
    defaultTarget: string | null;
  },
  start: string,
  inputs: PeriodInputs,
  today: string,
  expectedChildren: number,
): KpiPeriodView {
  const stored = inputs.values.get(`${kpi.id}|${start}`);
  const target = inputs.targets.get(`${kpi.id}|${start}`) ?? kpi.defaultTarget;
  const evaluation = evaluatePeriod({
    actual: stored?.value ?? null,
    target,
    baseline: kpi.baseline,
    direction: kpi.direction,
    timeAggregation: kpi.timeAggregation,
    periodStart: start,
    cadence: kpi.cadence,
    today,
    thresholds: { green: ctx.org.greenThreshold, amber: ctx.org.amberThreshold },
  });
  return {
    start,
    label: periodLabel(start, kpi.cadence, ctx.org.fyStartMonth),
    value: stored?.value ?? null,
    target,
    progress: evaluation.progress,
    paceProgress: evaluation.paceProgress,
    status: stored ? evaluation.status : 'no_data',
    childrenReported: stored?.childrenReported ?? 0,
    childrenExpected: stored?.childrenExpected ?? expectedChildren,
  };
}

function toSummary<T extends Record<string, unknown>>(row: T, current: KpiPeriodView): KpiSummary {
  const r = row as unknown as KpiSummary;
  return {
    id: r.id,
    key: r.key,
    name: r.name,
    unitId: r.unitId,
    unitName: r.unitName,
    ownerUserId: r.ownerUserId,
    ownerName: r.ownerName,
    parentId: r.parentId,
    isIndividual: r.isIndividual,
    isNorthStar: r.isNorthStar,
    measureUnit: r.measureUnit,
    currency: r.currency,
    decimals: r.decimals,
    direction: r.direction,
    cadence: r.cadence,
    timeAggregation: r.timeAggregation,
    rollup: r.rollup,
    category: r.category,
    indicator: r.indicator,
    archivedOn: r.archivedOn,
    ownerHomeUnitId: r.ownerHomeUnitId,
    baseline: r.baseline,
    defaultTarget: r.defaultTarget,
    version: r.version,
    current,
  };
}

/** Number of children that count toward each parent now (not archived). */
function activeChildCounts(rows: { parentId: string | null; archivedOn: string | null }[]) {
  const counts = new Map<string, number>();
  for (const row of rows) {
    if (row.parentId && !row.archivedOn) counts.set(row.parentId, (counts.get(row.parentId) ?? 0) + 1);
  }
  return counts;
}

/**
 * Every KPI of the org the actor may see (individual KPIs filtered by the permission table), with
 * its value, target and status for the period containing `asOf` (default: today in the org's time
 * zone). Tenant-scoped by ctx.org.id.
 */
export async function listKpis(
  ctx: OrgContext,
  options: {
    includeArchived?: boolean;
    asOf?: string;
    /**
     * `all`: every KPI of the org, individual ones of everyone included, for an org-wide read
     * model (lib/dal/dashboards) that filters with canSeeKpi before anything reaches an actor.
     */
    visibility?: 'actor' | 'all';
  } = {},
): Promise<KpiSummary[]> {
  return withOrgRead(ctx.org.id, async (db) => {
    const today = todayInTimeZone(ctx.org.timeZone);
    const asOf = options.asOf ?? today;
    const rows = await baseQuery(db, ctx.org.id)
      .where(and(eq(kpis.orgId, ctx.org.id), options.includeArchived ? undefined : isNull(kpis.archivedOn)))
      .orderBy(kpis.sortOrder, kpis.name);
    const visible = options.visibility === 'all' ? rows : rows.filter((row) => canSeeKpi(ctx, row));
    const starts = Object.values(enclosingPeriodStarts(asOf, ctx.org.fyStartMonth));
    const inputs = await loadPeriodInputs(
      ctx.org.id,
      visible.map((r) => r.id),
      starts,
    );
    const childCounts = activeChildCounts(rows);
    return visible.map((row) => {
      const start = periodStart(asOf, row.cadence, ctx.org.fyStartMonth);
      return toSummary(row, periodView(ctx, row, start, inputs, today, childCounts.get(row.id) ?? 0));
    });
  });
}

export type KpiDetail = KpiSummary & {
  description: string;
  baseline: string | null;
  defaultTarget: string | null;
  weight: string;
  version: number;
  parent: { id: string; name: string } | null;
  history: KpiPeriodView[];
  children: (KpiSummary & { weight: string; share: number | null })[];
  checkins: {
    id: string;
    observedOn: string;
    value: string;
    note: string;
    source: 'manual' | 'csv' | 'api';
    authorName: string | null;
    version: number;
  }[];
  audit: { id: number; action: string; actorName: string | null; createdAt: string; before: unknown; after: unknown }[];
};

/**
 * One KPI with its last `periods` periods, its children's contributions to the selected period,
 * its recent check-ins and audit history. A KPI of another org, a missing id and an individual
 * KPI the actor may not see all give NOT_FOUND.
 */
export async function getKpiDetail(
  ctx: OrgContext,
  kpiId: string,
  options: { periods?: number; asOf?: string } = {},
): Promise<KpiDetail> {
  return withOrgRead(ctx.org.id, async (db) => {
    const today = todayInTimeZone(ctx.org.timeZone);
    const asOf = options.asOf ?? today;
    const [row] = await baseQuery(db, ctx.org.id).where(and(eq(kpis.orgId, ctx.org.id), eq(kpis.id, kpiId)));
    if (!row || !canSeeKpi(ctx, row)) throw notFoundError();

    const childRows = (
      await baseQuery(db, ctx.org.id).where(and(eq(kpis.orgId, ctx.org.id), eq(kpis.parentId, kpiId)))
    ).filter((child) => canSeeKpi(ctx, child));
    const selected = periodStart(asOf, row.cadence, ctx.org.fyStartMonth);
    const historyStarts: string[] = [selected];
    for (let i = 1; i < (options.periods ?? 12); i += 1) {
      historyStarts.unshift(previousPeriodStart(historyStarts[0]!, row.cadence));
    }
    const childStarts = childRows.map((c) => periodStart(asOf, c.cadence, ctx.org.fyStartMonth));
    const inputs = await loadPeriodInputs(
      ctx.org.id,
      [row.id, ...childRows.map((c) => c.id)],
      [...new Set([...historyStarts, ...childStarts])],
    );
    const activeChildren = childRows.filter((c) => !c.archivedOn).length;
    const history = historyStarts.map((start) => periodView(ctx, row, start, inputs, today, activeChildren));
    const current = history[history.length - 1]!;

    const children = childRows.map((child) => {
      const start = periodStart(asOf, child.cadence, ctx.org.fyStartMonth);
      return { ...toSummary(child, periodView(ctx, child, start, inputs, today, 0)), weight: child.weight };
    });
    const shares =
      row.rollup === 'manual'
        ? children.map(() => null)
        : contributionShares(
            row.rollup,
            children.map((c) => ({ value: c.archivedOn ? null : c.current.value, weight: c.weight })),
          );

    // The parent is shown only when the actor may see it (an individual KPI can be a parent).
    const [parentRow] = row.parentId
      ? await baseQuery(db, ctx.org.id).where(and(eq(kpis.orgId, ctx.org.id), eq(kpis.id, row.parentId)))
      : [];
    const parent = parentRow && canSeeKpi(ctx, parentRow) ? { id: parentRow.id, name: parentRow.name } : null;
    const author = aliasedTable(users, 'author');
    const checkinRows = await db
      .select({
        id: checkins.id,
        observedOn: checkins.observedOn,
        value: checkins.value,
        note: checkins.note,
        source: checkins.source,
        authorName: author.name,
        version: checkins.version,
      })
      .from(checkins)
      .leftJoin(author, eq(author.id, checkins.authorUserId))
      .where(and(eq(checkins.orgId, ctx.org.id), eq(checkins.kpiId, kpiId)))
      .orderBy(desc(checkins.observedOn), desc(checkins.createdAt))
      .limit(50);
    const actor = aliasedTable(users, 'actor');
    const auditRows = await db
      .select({
        id: auditLog.id,
        action: auditLog.action,
        actorName: actor.name,
        createdAt: auditLog.createdAt,
        before: auditLog.before,
        after: auditLog.after,
      })
      .from(auditLog)
      .leftJoin(actor, eq(actor.id, auditLog.actorUserId))
      .where(and(eq(auditLog.orgId, ctx.org.id), inArray(auditLog.entityId, [kpiId])))
      .orderBy(desc(auditLog.id))
      .limit(30);

    return {
      ...toSummary(row, current),
      description: row.description,
      baseline: row.baseline,
      defaultTarget: row.defaultTarget,
      weight: row.weight,
      version: row.version,
      parent,
      history,
      children: children.map((c, i) => ({ ...c, share: shares[i] ?? null })),
      checkins: checkinRows,
      audit: auditRows.map((a) => ({ ...a, createdAt: a.createdAt.toISOString() })),
    };
  });
}

const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The ids of the KPIs `refs` name: ids pass through, KPI keys (`sales.new_mrr`) are looked up in
 * the org in one query; an unknown key maps to null. Visibility is checked by what follows (a key
 * of another org is simply unknown here). Tenant-scoped by ctx.org.id.
 */
export async function resolveKpiRefs(ctx: OrgContext, refs: readonly string[]): Promise<Map<string, string | null>> {
  const out = new Map<string, string | null>();
  const keys: string[] = [];
  for (const ref of new Set(refs)) {
    if (UUID_PATTERN.test(ref)) out.set(ref, ref.toLowerCase());
    else keys.push(ref);
  }
  if (keys.length > 0) {
    const rows = await withOrgRead(ctx.org.id, (db) =>
      db
        .select({ id: kpis.id, key: kpis.key })
        .from(kpis)
        .where(and(eq(kpis.orgId, ctx.org.id), inArray(kpis.key, keys))),
    );
    const byKey = new Map(rows.map((r) => [r.key, r.id]));
    for (const key of keys) out.set(key, byKey.get(key) ?? null);
  }
  return out;
}

/** The id of the KPI `ref` (an id or a key) names; NOT_FOUND for an unknown key. */
export async function resolveKpiRef(ctx: OrgContext, ref: string): Promise<string> {
  const id = (await resolveKpiRefs(ctx, [ref])).get(ref);
  if (!id) throw notFoundError();
  return id;
}

/** At most this many periods per request of period values. */
export const MAX_PERIODS_PER_REQUEST = 120;

/**
 * One KPI's value, target and status for each of its periods overlapping `[from, to]` (at most
 * MAX_PERIODS_PER_REQUEST, oldest first). NOT_FOUND for a KPI of another org, a missing one, or an
 * individual KPI the actor may not see. Tenant-scoped by ctx.org.id.
 */
export async function listKpiPeriodValues(
  ctx: OrgContext,
  kpiId: string,
  range: { from: string; to: string },
): Promise<{ kpi: KpiSummary; periods: KpiPeriodView[] }> {
  return withOrgRead(ctx.org.id, async (db) => {
    const today = todayInTimeZone(ctx.org.timeZone);
    const [row] = await baseQuery(db, ctx.org.id).where(and(eq(kpis.orgId, ctx.org.id), eq(kpis.id, kpiId)));
    if (!row || !canSeeKpi(ctx, row)) throw notFoundError();
    const starts = periodStartsInRange(range.from, range.to, row.cadence, ctx.org.fyStartMonth).slice(
      -MAX_PERIODS_PER_REQUEST,
    );
    const current = periodStart(today, row.cadence, ctx.org.fyStartMonth);
    const children = await db
      .select({ parentId: kpis.parentId, archivedOn: kpis.archivedOn })
      .from(kpis)
      .where(and(eq(kpis.orgId, ctx.org.id), eq(kpis.parentId, kpiId)));
    const expected = children.filter((c) => !c.archivedOn).length;
    const inputs = await loadPeriodInputs(ctx.org.id, [row.id], [...new Set([...starts, current])]);
    return {
      kpi: toSummary(row, periodView(ctx, row, current, inputs, today, expected)),
      periods: starts.map((start) => periodView(ctx, row, start, inputs, today, expected)),
    };
  });
}

/** One KPI period as the CSV export writes it. */
export type PeriodExportRow = {
  kpiId: string;
  key: string | null;
  name: string;
  unitName: string;
  measureUnit: MeasureUnit;
  currency: string | null;
  period: KpiPeriodView;
};

/**
 * Every period overlapping `[from, to]` of every KPI the actor may see whose unit lies in the
 * subtree of `unitId` (default: the whole organization), ordered by KPI then period; at most
 * MAX_PERIODS_PER_REQUEST periods per KPI. An unknown or foreign unit id gives NOT_FOUND.
 * Tenant-scoped by ctx.org.id.
 */
export async function listPeriodValuesInScope(
  ctx: OrgContext,
  range: { from: string; to: string; unitId?: string },
): Promise<PeriodExportRow[]> {
  return withOrgRead(ctx.org.id, async (db) => {
    const today = todayInTimeZone(ctx.org.timeZone);
    const parents = await listUnitParents(ctx.org.id);
    if (range.unitId && !parents.has(range.unitId)) throw notFoundError();
    const inScope = range.unitId ? subtreeIds(range.unitId, parents) : null;
    const rows = (await baseQuery(db, ctx.org.id).orderBy(kpis.sortOrder, kpis.name)).filter(
      (row) => canSeeKpi(ctx, row) && (!inScope || inScope.has(row.unitId)),
    );
    const startsOf = (cadence: Cadence) =>
      periodStartsInRange(range.from, range.to, cadence, ctx.org.fyStartMonth).slice(-MAX_PERIODS_PER_REQUEST);
    const allStarts = [...new Set(CADENCE_LIST.flatMap(startsOf))];
    const inputs = await loadPeriodInputs(ctx.org.id, rows.map((r) => r.id), allStarts);
    const childCounts = activeChildCounts(rows);
    return rows.flatMap((row) =>
      startsOf(row.cadence).map((start) => ({
        kpiId: row.id,
        key: row.key,
        name: row.name,
        unitName: row.unitName,
        measureUnit: row.measureUnit,
        currency: row.currency,
        period: periodView(ctx, row, start, inputs, today, childCounts.get(row.id) ?? 0),
      })),
    );
  });
}

const CADENCE_LIST: readonly Cadence[] = ['month', 'quarter', 'year'];
