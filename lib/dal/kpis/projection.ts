import { todayInTimeZone } from '@/lib/domain/dates';
import { projectKpi, type Projection } from '@/lib/domain/forecast/projection';
import { orgThresholds } from '@/lib/domain/kpi-summary';
import { periodLabel, periodStart } from '@/lib/domain/periods';
import { notFoundError } from '@/lib/errors';
import type { OrgContext } from '@/lib/server/org-context';
import { kpiWithClosure } from './kpi-closure';

/**
 * Where KPI `kpiId` is projected to land at the end of its current period (today in the org's
 * time zone), with a range and a projected status by the org's thresholds
 * (lib/domain/forecast/projection.ts), from the stored values of its subtree and formula inputs
 * (kpiWithClosure: shared with the attribution within one request).
 * NOT_FOUND for a KPI of another org, a missing one, or one the actor may not see. Tenant-scoped
 * by ctx.org.id; read permission only.
 */
export async function getKpiProjection(
  ctx: OrgContext,
  kpiId: string,
): Promise<{ projection: Projection; label: string }> {
  const loaded = await kpiWithClosure(ctx, kpiId);
  if (!loaded) throw notFoundError();
  const { root, catalogue } = loaded;
  const today = todayInTimeZone(ctx.org.timeZone);
  const start = periodStart(today, root.cadence, ctx.org.fyStartMonth);
  return {
    projection: projectKpi(catalogue, root.id, start, today, orgThresholds(ctx.org)),
    label: periodLabel(start, root.cadence, ctx.org.fyStartMonth),
  };
}
