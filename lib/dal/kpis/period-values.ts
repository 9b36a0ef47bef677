import { and, eq, inArray } from 'drizzle-orm';
import { withOrgRead } from '@/db/client';
import { kpiPeriodValues, kpis, kpiTargets } from '@/db/schema';
import { todayInTimeZone } from '@/lib/domain/dates';
import type { MeasureUnit } from '@/lib/domain/format';
import {
  activeChildCounts,
  periodView,
  toSummary,
  type KpiPeriodView,
  type KpiSummary,
  type PeriodInputs,
} from '@/lib/domain/kpi-summary';
import { periodStart, periodStartsInRange, type Cadence } from '@/lib/domain/periods';
import { subtreeIds } from '@/lib/domain/tree';
import { notFoundError, validationError } from '@/lib/errors';
import type { OrgContext } from '@/lib/server/org-context';
import { listUnitParents } from '@/lib/dal/units/refs';
import { loadFormulaPeriodFacts, type FormulaViewKpi } from './formula-period-facts';
import { canSeeKpi, KPI_LIST_ORDER, summaryQuery } from './summary-query';

/**
 * Stored period values and target overrides of some KPIs for some period starts, keyed
 * `kpiId|start` (one round trip; large orgs filter by period only). With `formulas` (the KPIs as
 * the reader has them), also the coverage of formula periods without a value and the implied
 * targets of formula periods without their own (see formula-period-facts.ts). Tenant-scoped by
 * orgId.
 */
export async function loadPeriodInputs(
  orgId: string,
  kpiIds: string[],
  starts: string[],
  formulas?: { fyStartMonth: number; kpis: readonly FormulaViewKpi[] },
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
        .where(
          and(
            eq(kpiPeriodValues.orgId, orgId),
            inArray(kpiPeriodValues.periodStart, starts),
            byKpi,
          ),
        ),
      db
        .select({
          kpiId: kpiTargets.kpiId,
          start: kpiTargets.periodStart,
          target: kpiTargets.target,
        })
        .from(kpiTargets)
        .where(
          and(
            eq(kpiTargets.orgId, orgId),
            inArray(kpiTargets.periodStart, starts),
            kpiIds.length <= 2000 ? inArray(kpiTargets.kpiId, kpiIds) : undefined,
          ),
        ),
    ]);
    const base = {
      values: new Map(valueRows.map((r) => [`${r.kpiId}|${r.start}`, r])),
      targets: new Map(targetRows.map((r) => [`${r.kpiId}|${r.start}`, r.target])),
    };
    if (!formulas) return base;
    const facts = await loadFormulaPeriodFacts(
      db,
      orgId,
      formulas.fyStartMonth,
      formulas.kpis,
      starts,
      base,
    );
    return { ...base, ...facts };
  });
}

/** At most this many periods per request of period values. */
export const MAX_PERIODS_PER_REQUEST = 120;

/**
 * One KPI's value, target and status for each of its periods overlapping `[from, to]` (oldest
 * first); a range of more than MAX_PERIODS_PER_REQUEST periods is refused (VALIDATION on `from`,
 * naming the limit), never cut. NOT_FOUND for a KPI of another org, a missing one, or an
 * individual KPI the actor may not see. Tenant-scoped by ctx.org.id.
 */
export async function listKpiPeriodValues(
  ctx: OrgContext,
  kpiId: string,
  range: { from: string; to: string },
): Promise<{ kpi: KpiSummary; periods: KpiPeriodView[] }> {
  return withOrgRead(ctx.org.id, async (db) => {
    const today = todayInTimeZone(ctx.org.timeZone);
    const [row] = await summaryQuery(db, ctx.org.id).where(
      and(eq(kpis.orgId, ctx.org.id), eq(kpis.id, kpiId)),
    );
    if (!row || !canSeeKpi(ctx, row)) throw notFoundError();
    const starts = periodStartsInRange(range.from, range.to, row.cadence, ctx.org.fyStartMonth);
    if (starts.length > MAX_PERIODS_PER_REQUEST) {
      throw validationError('This range is too long: narrow it.', {
        from: [
          `A range covers at most ${MAX_PERIODS_PER_REQUEST} periods of the KPI (${MAX_PERIODS_PER_REQUEST} ${row.cadence}s); this one covers ${starts.length}`,
        ],
      });
    }
    const current = periodStart(today, row.cadence, ctx.org.fyStartMonth);
    const children = await db
      .select({ parentId: kpis.parentId, archivedOn: kpis.archivedOn })
      .from(kpis)
      .where(and(eq(kpis.orgId, ctx.org.id), eq(kpis.parentId, kpiId)));
    const expected = children.filter((c) => !c.archivedOn).length;
    const inputs = await loadPeriodInputs(
      ctx.org.id,
      [row.id],
      [...new Set([...starts, current])],
      {
        fyStartMonth: ctx.org.fyStartMonth,
        kpis: [row],
      },
    );
    return {
      kpi: toSummary(row, periodView(ctx.org, row, current, inputs, today, expected)),
      periods: starts.map((start) => periodView(ctx.org, row, start, inputs, today, expected)),
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

const CADENCE_LIST: readonly Cadence[] = ['month', 'quarter', 'year'];

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
    const rows = (await summaryQuery(db, ctx.org.id).orderBy(...KPI_LIST_ORDER)).filter(
      (row) => canSeeKpi(ctx, row) && (!inScope || inScope.has(row.unitId)),
    );
    const startsOf = (cadence: Cadence) =>
      periodStartsInRange(range.from, range.to, cadence, ctx.org.fyStartMonth).slice(
        -MAX_PERIODS_PER_REQUEST,
      );
    const allStarts = [...new Set(CADENCE_LIST.flatMap(startsOf))];
    const inputs = await loadPeriodInputs(
      ctx.org.id,
      rows.map((r) => r.id),
      allStarts,
      { fyStartMonth: ctx.org.fyStartMonth, kpis: rows },
    );
    const childCounts = activeChildCounts(rows);
    return rows.flatMap((row) =>
      startsOf(row.cadence).map((start) => ({
        kpiId: row.id,
        key: row.key,
        name: row.name,
        unitName: row.unitName,
        measureUnit: row.measureUnit,
        currency: row.currency,
        period: periodView(ctx.org, row, start, inputs, today, childCounts.get(row.id) ?? 0),
      })),
    );
  });
}
