import { todayInTimeZone } from '@/lib/domain/dates';
import { projectKpi, type Projection } from '@/lib/domain/forecast/projection';
import { orgThresholds } from '@/lib/domain/kpi-summary';
import { provenLead, type LeadGate, type ProvenLead } from '@/lib/domain/forecast/lead-informed';
import { periodLabel, periodStart, type Cadence } from '@/lib/domain/periods';
import { notFoundError } from '@/lib/errors';
import type { OrgContext } from '@/lib/server/org-context';
import { kpiWithClosure } from './kpi-closure';
import { listLeadPairs, type LeadPair } from './leading-indicators';

/**
 * Where KPI `kpiId` is projected to land at the end of its current period (today in the org's
 * time zone), with a range and a projected status by the org's thresholds
 * (lib/domain/forecast/projection.ts), from the stored values of its subtree, formula inputs and
 * leads (kpiWithClosure: shared with the attribution within one request); with what its leads
 * did to it (`lead`): the lead it uses and how much it moved the projection, or the lead proven
 * to lead it on its page (the strongest) and why the projection does not use it.
 * NOT_FOUND for a KPI of another org, a missing one, or one the actor may not see. Tenant-scoped
 * by ctx.org.id; read permission only.
 */
export async function getKpiProjection(
  ctx: OrgContext,
  kpiId: string,
): Promise<{ projection: Projection; label: string; lead: KpiLeadNote | null }> {
  const loaded = await kpiWithClosure(ctx, kpiId);
  if (!loaded) throw notFoundError();
  const { root, catalogue, visible } = loaded;
  const today = todayInTimeZone(ctx.org.timeZone);
  const start = periodStart(today, root.cadence, ctx.org.fyStartMonth);
  const projection = projectKpi(catalogue, root.id, start, today, orgThresholds(ctx.org));
  const used = projection.lead?.used ?? null;
  let lead: KpiLeadNote | null = null;
  if (used) {
    const gate = projection.lead?.checks.find((c) => c.leadId === used.leadId)?.gate;
    const leadKpi = catalogue.find((k) => k.id === used.leadId);
    if (gate?.kind === 'earned') {
      lead = {
        kind: 'used',
        id: used.leadId,
        // a lead the reader may not see is used unnamed
        name: leadKpi && visible.has(leadKpi.id) ? leadKpi.name : null,
        cadence: root.cadence,
        ...gate.lead,
        shift: used.shift,
        record: gate.record,
      };
    }
  } else {
    const proven = strongestProvenLead(await listLeadPairs(ctx, kpiId), kpiId);
    if (proven) {
      const why: LeadGate | 'from_parts' | null = projection.lead?.fromParts
        ? 'from_parts'
        : (projection.lead?.checks.find((c) => c.leadId === proven.id)?.gate ?? null);
      lead = { kind: 'not_used', ...proven, why };
    }
  }
  return {
    projection,
    label: periodLabel(start, root.cadence, ctx.org.fyStartMonth, ctx.org.locale),
    lead,
  };
}

/** A leading KPI proven to lead this one (issue 24, item 3), as its page names it. */
export type KpiProvenLead = {
  id: string;
  name: string;
  cadence: Cadence;
} & ProvenLead;

/**
 * What the KPI page says under the projection about its leads: the lead it uses (unnamed when
 * the reader may not see it), its lag, how much it moved the projected value (exact) and its
 * record against the trend on this KPI's own past; or the strongest lead proven on the page and
 * why the projection does not use it (its gate on the projection's history; 'from_parts' for a
 * computed KPI; null when the projection did not weigh it).
 */
export type KpiLeadNote =
  | ({
      kind: 'used';
      id: string;
      name: string | null;
      cadence: Cadence;
      shift: string;
    } & ProvenLead & {
        record: Extract<LeadGate, { kind: 'earned' }>['record'];
      })
  | ({ kind: 'not_used'; why: LeadGate | 'from_parts' | null } & KpiProvenLead);

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
