import { and, count, eq, inArray, isNull } from 'drizzle-orm';
import { withOrgRead, type Executor } from '@/db/client';
import { kpis } from '@/db/schema';
import { todayInTimeZone } from '@/lib/domain/dates';
import {
  activeChildCounts,
  periodView,
  toSummary,
  type KpiSummary,
} from '@/lib/domain/kpi-summary';
import { enclosingPeriodStarts, periodStart } from '@/lib/domain/periods';
import type { OrgContext } from '@/lib/server/org-context';
import { loadPeriodInputs } from './period-values';
import { canSeeKpi, KPI_LIST_ORDER, summaryQuery } from './summary-query';

/** Which KPIs listKpis and listKpisAt read. */
export type ListKpisOptions = {
  includeArchived?: boolean;
  /**
   * `all`: every KPI of the org, individual ones of everyone included, for an org-wide read
   * model (lib/dal/dashboards) that filters with canSeeKpi before anything reaches an actor.
   */
  visibility?: 'actor' | 'all';
  /** Only the KPIs of these units (the cascade map opens one branch at a time). */
  unitIds?: string[];
  /**
   * false: team KPIs only, individual ones left out before their values are read (reports
   * without individual KPIs: share links, digests). Their parents still count them as children.
   */
  individual?: boolean;
};

/**
 * Every KPI of the org the actor may see (individual KPIs filtered by the permission table), with
 * its value, target and status for the period containing `asOf` (default: today in the org's time
 * zone). Tenant-scoped by ctx.org.id.
 */
export async function listKpis(
  ctx: OrgContext,
  options: ListKpisOptions & { asOf?: string } = {},
): Promise<KpiSummary[]> {
  const { asOf, ...rest } = options;
  return (await listKpisAt(ctx, [asOf ?? todayInTimeZone(ctx.org.timeZone)], rest))[0]!;
}

/**
 * listKpis at several dates in one read: the KPIs, their children counts and the stored values
 * and targets of every period the dates fall in are read once, and each date gets its own list
 * (in the order given) of the same KPIs with their view of the period containing it. What a
 * report's trend reads: six periods of every KPI. Tenant-scoped by ctx.org.id.
 */
export async function listKpisAt(
  ctx: OrgContext,
  asOfs: readonly string[],
  options: ListKpisOptions = {},
): Promise<KpiSummary[][]> {
  return withOrgRead(ctx.org.id, async (db) => {
    const today = todayInTimeZone(ctx.org.timeZone);
    const rows = await summaryQuery(db, ctx.org.id)
      .where(
        and(
          eq(kpis.orgId, ctx.org.id),
          options.includeArchived ? undefined : isNull(kpis.archivedOn),
          options.unitIds ? inArray(kpis.unitId, options.unitIds) : undefined,
        ),
      )
      .orderBy(...KPI_LIST_ORDER);
    const visible = rows.filter(
      (row) =>
        (options.individual !== false || !row.isIndividual) &&
        (options.visibility === 'all' || canSeeKpi(ctx, row)),
    );
    const starts = [
      ...new Set(
        asOfs.flatMap((asOf) => Object.values(enclosingPeriodStarts(asOf, ctx.org.fyStartMonth))),
      ),
    ];
    const inputs = await loadPeriodInputs(
      ctx.org.id,
      visible.map((r) => r.id),
      starts,
      { fyStartMonth: ctx.org.fyStartMonth, kpis: visible },
    );
    // Some units only: their KPIs' children live in other units, so count those in the database.
    const childCounts = options.unitIds
      ? await countActiveChildren(
          db,
          ctx.org.id,
          visible.map((r) => r.id),
        )
      : activeChildCounts(rows);
    return asOfs.map((asOf) =>
      visible.map((row) => {
        const start = periodStart(asOf, row.cadence, ctx.org.fyStartMonth);
        return toSummary(
          row,
          periodView(ctx.org, row, start, inputs, today, childCounts.get(row.id) ?? 0),
        );
      }),
    );
  });
}

/** Active (not archived) children of each of these KPIs. Tenant-scoped by orgId. */
async function countActiveChildren(
  db: Executor,
  orgId: string,
  parentIds: string[],
): Promise<Map<string, number>> {
  if (parentIds.length === 0) return new Map();
  const rows = await db
    .select({ parentId: kpis.parentId, n: count() })
    .from(kpis)
    .where(and(eq(kpis.orgId, orgId), inArray(kpis.parentId, parentIds), isNull(kpis.archivedOn)))
    .groupBy(kpis.parentId);
  return new Map(rows.map((r) => [r.parentId!, r.n]));
}
