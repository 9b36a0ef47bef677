import { aliasedTable, and, desc, eq, min } from 'drizzle-orm';
import { withOrgRead } from '@/db/client';
import { checkins, kpiPeriodValues, kpis, users } from '@/db/schema';
import { todayInTimeZone } from '@/lib/domain/dates';
import { firstExistingPeriod } from '@/lib/domain/kpi-chart';
import {
  periodView,
  toSummary,
  type KpiPeriodView,
  type KpiSummary,
} from '@/lib/domain/kpi-summary';
import { periodStart, previousPeriodStart } from '@/lib/domain/periods';
import { contributionShares, isArithmeticRollup } from '@/lib/domain/rollup';
import { notFoundError } from '@/lib/errors';
import type { OrgContext } from '@/lib/server/org-context';
import { loadPeriodInputs } from './period-values';
import { canSeeKpi, summaryQuery } from './summary-query';

export type KpiDetail = KpiSummary & {
  description: string;
  baseline: string | null;
  defaultTarget: string | null;
  /** The valid range of a reading (null: unbounded on that side). */
  validMin: string | null;
  validMax: string | null;
  weight: string;
  version: number;
  parent: { id: string; name: string } | null;
  history: KpiPeriodView[];
  /** The first period the KPI existed in (targets are drawn from here; see `firstExistingPeriod`). */
  existsFrom: string;
  children: (KpiSummary & { weight: string; share: number | null })[];
  checkins: {
    id: string;
    observedOn: string;
    value: string;
    note: string;
    source: 'manual' | 'csv' | 'api' | 'sql';
    authorName: string | null;
    version: number;
  }[];
};

/**
 * One KPI with its last `periods` periods, its children's contributions to the selected period,
 * its recent check-ins (its history of changes: `listHistory`). A KPI of another org, a missing id and an individual
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
    const [row] = await summaryQuery(db, ctx.org.id).where(
      and(eq(kpis.orgId, ctx.org.id), eq(kpis.id, kpiId)),
    );
    if (!row || !canSeeKpi(ctx, row)) throw notFoundError();

    const childRows = (
      await summaryQuery(db, ctx.org.id).where(
        and(eq(kpis.orgId, ctx.org.id), eq(kpis.parentId, kpiId)),
      )
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
      { fyStartMonth: ctx.org.fyStartMonth, kpis: [row, ...childRows] },
    );
    const activeChildren = childRows.filter((c) => !c.archivedOn).length;
    const history = historyStarts.map((start) =>
      periodView(ctx.org, row, start, inputs, today, activeChildren),
    );
    const current = history[history.length - 1]!;
    const [existence] = await db
      .select({ createdAt: kpis.createdAt, firstValueStart: min(kpiPeriodValues.periodStart) })
      .from(kpis)
      .leftJoin(
        kpiPeriodValues,
        and(eq(kpiPeriodValues.orgId, kpis.orgId), eq(kpiPeriodValues.kpiId, kpis.id)),
      )
      .where(and(eq(kpis.orgId, ctx.org.id), eq(kpis.id, kpiId)))
      .groupBy(kpis.createdAt);
    const existsFrom = firstExistingPeriod({
      createdOn: todayInTimeZone(ctx.org.timeZone, existence!.createdAt),
      firstValueStart: existence!.firstValueStart ?? null,
      cadence: row.cadence,
      fyStartMonth: ctx.org.fyStartMonth,
    });

    const children = childRows.map((child) => {
      const start = periodStart(asOf, child.cadence, ctx.org.fyStartMonth);
      return {
        ...toSummary(child, periodView(ctx.org, child, start, inputs, today, 0)),
        weight: child.weight,
      };
    });
    // Children aligned under a manual or formula KPI do not make its value: no share.
    const shares = !isArithmeticRollup(row.rollup)
      ? children.map(() => null)
      : contributionShares(
          row.rollup,
          children.map((c) => ({
            value: c.archivedOn ? null : c.current.value,
            weight: c.weight,
          })),
        );

    // The parent is shown only when the actor may see it (an individual KPI can be a parent).
    const [parentRow] = row.parentId
      ? await summaryQuery(db, ctx.org.id).where(
          and(eq(kpis.orgId, ctx.org.id), eq(kpis.id, row.parentId)),
        )
      : [];
    const parent =
      parentRow && canSeeKpi(ctx, parentRow) ? { id: parentRow.id, name: parentRow.name } : null;
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

    return {
      ...toSummary(row, current),
      description: row.description,
      baseline: row.baseline,
      defaultTarget: row.defaultTarget,
      validMin: row.validMin,
      validMax: row.validMax,
      weight: row.weight,
      version: row.version,
      parent,
      history,
      existsFrom,
      children: children.map((c, i) => ({ ...c, share: shares[i] ?? null })),
      checkins: checkinRows,
    };
  });
}
