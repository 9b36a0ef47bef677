import { aggregatedView } from '@/lib/domain/dashboard/aggregated-view';
import type { DashboardPeriod } from '@/lib/domain/dashboard/periods';
import { cadenceMonths, subPeriodStarts, type Cadence } from '@/lib/domain/periods';
import type { OrgContext } from '@/lib/server/org-context';
import { projectedEnd, type Projection } from '@/lib/domain/forecast/projection';
import { listKpisAt, type ListKpisOptions } from '@/lib/dal/kpis/list';
import { loadOrgProjections } from '@/lib/dal/kpis/org-projections';
import { loadPeriodInputs } from '@/lib/dal/kpis/period-values';
import { orgThresholds, type KpiPeriodView, type KpiSummary } from '@/lib/domain/kpi-summary';
import type { DashboardKpi } from './types';

/** Evaluates KPIs shorter than the selected period over it (see DashboardKpi). */
async function aggregatedViews(
  ctx: OrgContext,
  shorter: KpiSummary[],
  period: DashboardPeriod,
  today: string,
): Promise<Map<string, KpiPeriodView>> {
  const result = new Map<string, KpiPeriodView>();
  if (shorter.length === 0) return result;
  const startsOf = new Map<Cadence, string[]>();
  for (const cadence of new Set(shorter.map((k) => k.cadence))) {
    startsOf.set(cadence, subPeriodStarts(period.start, period.cadence, cadence));
  }
  const allStarts = [...new Set([...startsOf.values()].flat())];
  const { values, targets, impliedTargets } = await loadPeriodInputs(
    ctx.org.id,
    shorter.map((k) => k.id),
    allStarts,
    { fyStartMonth: ctx.org.fyStartMonth, kpis: shorter },
  );
  const thresholds = orgThresholds(ctx.org);
  for (const kpi of shorter) {
    let implied = false;
    const parts = (startsOf.get(kpi.cadence) ?? []).map((start) => {
      const own = targets.get(`${kpi.id}|${start}`) ?? kpi.defaultTarget;
      const other = own === null ? (impliedTargets?.get(`${kpi.id}|${start}`) ?? null) : null;
      if (other !== null) implied = true;
      return { start, stored: values.get(`${kpi.id}|${start}`), target: own ?? other };
    });
    const view = aggregatedView(kpi, period, parts, today, thresholds);
    result.set(kpi.id, { ...view, targetImplied: implied && view.target !== null });
  }
  return result;
}

/**
 * The org's projections when `period` is open (loadOrgProjections), else null: each KPI's over
 * its view of the period (its own open period, or for a shorter cadence the selected period,
 * its periods in it combined as aggregatedViews combines them). Started by the caller next to
 * its other reads, then handed to withPeriodViews.
 */
export function projectionsFor(
  ctx: OrgContext,
  period: DashboardPeriod,
  today: string,
): Promise<Map<string, Projection>> | null {
  return period.isCurrent
    ? loadOrgProjections(ctx, today, { start: period.start, cadence: period.cadence })
    : null;
}

/**
 * The summaries with their views over the selected period, and for an open period each KPI's
 * projected end when the view is its own open period (`projections`: see projectionsFor).
 * Tenant-scoped by ctx.org.id.
 */
export async function withPeriodViews(
  ctx: OrgContext,
  summaries: KpiSummary[],
  period: DashboardPeriod,
  today: string,
  projections: Promise<Map<string, Projection>> | null = null,
): Promise<DashboardKpi[]> {
  const shorter = summaries.filter((k) => cadenceMonths(k.cadence) < cadenceMonths(period.cadence));
  const [aggregated, projected] = await Promise.all([
    aggregatedViews(ctx, shorter, period, today),
    projections,
  ]);
  return summaries.map((k) => {
    const view = aggregated.get(k.id) ?? k.current;
    const end = projected ? projectedEnd(projected.get(k.id), view.start) : null;
    return end ? { ...k, view, projected: end } : { ...k, view };
  });
}

/**
 * Every KPI the actor may see with its view over each of the periods (one list per period, in
 * their order): the computation behind the period report (uncached: reports read several
 * periods at once; the KPIs and their stored values are read once for all of them, listKpisAt).
 * Tenant-scoped; individual KPIs filtered by listKpisAt (all of them: `individual` false); only
 * some units' KPIs with `unitIds`.
 */
export async function dashboardKpisOver(
  ctx: OrgContext,
  periods: readonly DashboardPeriod[],
  today: string,
  options: Pick<ListKpisOptions, 'individual' | 'unitIds'> = {},
): Promise<DashboardKpi[][]> {
  const projections = periods.map((period) => projectionsFor(ctx, period, today));
  const lists = await listKpisAt(
    ctx,
    periods.map((p) => p.asOf),
    options,
  );
  return Promise.all(
    lists.map((summaries, i) =>
      withPeriodViews(ctx, summaries, periods[i]!, today, projections[i]),
    ),
  );
}
