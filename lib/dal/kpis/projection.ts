import { todayInTimeZone } from '@/lib/domain/dates';
import { projectKpi, type Projection } from '@/lib/domain/forecast/projection';
import { orgThresholds } from '@/lib/domain/kpi-summary';
import { provenLead, type ProvenLead } from '@/lib/domain/forecast/lead-informed';
import { periodLabel, periodStart, type Cadence } from '@/lib/domain/periods';
import { notFoundError } from '@/lib/errors';
import type { OrgContext } from '@/lib/server/org-context';
import { kpiWithClosure } from './kpi-closure';
import { listLeadPairs, type LeadPair } from './leading-indicators';

/**
 * Where KPI `kpiId` is projected to land at the end of its current period (today in the org's
 * time zone), with a range and a projected status by the org's thresholds
 * (lib/domain/forecast/projection.ts), from the stored values of its subtree and formula inputs
 * (kpiWithClosure: shared with the attribution within one request); with the leading KPI proven
 * to lead it, if any (named, not used: see lead-informed.ts).
 * NOT_FOUND for a KPI of another org, a missing one, or one the actor may not see. Tenant-scoped
 * by ctx.org.id; read permission only.
 */
export async function getKpiProjection(
  ctx: OrgContext,
  kpiId: string,
): Promise<{ projection: Projection; label: string; provenLead: KpiProvenLead | null }> {
  const loaded = await kpiWithClosure(ctx, kpiId);
  if (!loaded) throw notFoundError();
  const { root, catalogue } = loaded;
  const today = todayInTimeZone(ctx.org.timeZone);
  const start = periodStart(today, root.cadence, ctx.org.fyStartMonth);
  return {
    projection: projectKpi(catalogue, root.id, start, today, orgThresholds(ctx.org)),
    label: periodLabel(start, root.cadence, ctx.org.fyStartMonth, ctx.org.locale),
    provenLead: strongestProvenLead(await listLeadPairs(ctx, kpiId), kpiId),
  };
}

/** A leading KPI proven to lead this one (issue 24, item 3): named next to the projection. */
export type KpiProvenLead = {
  id: string;
  name: string;
  cadence: Cadence;
} & ProvenLead;

/** The proven lead of KPI `kpiId` with the strongest correlation, if any. */
function strongestProvenLead(pairs: readonly LeadPair[], kpiId: string): KpiProvenLead | null {
  let best: KpiProvenLead | null = null;
  for (const p of pairs) {
    if (p.lagging.id !== kpiId) continue;
    const proven = provenLead(p.verdict);
    if (proven && (!best || Math.abs(proven.r) > Math.abs(best.r))) {
      best = { ...p.leading, cadence: p.cadence, ...proven };
    }
  }
  return best;
}
