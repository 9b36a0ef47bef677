import { and, eq } from 'drizzle-orm';
import type { Tx } from '@/db/client';
import { kpiLeads, kpis } from '@/db/schema';
import { assertCan } from '@/lib/authz/can';
import { isCadenceNoLongerThan } from '@/lib/domain/periods';
import { notFoundError, validationError } from '@/lib/errors';
import type { OrgContext } from '@/lib/server/org-context';
import type { KpiLeadInput } from '@/lib/validation/kpis';
import { getKpiForWrite, type KpiForWrite } from '@/lib/dal/cascade/kpi-rows';
import { authzScopeInTx } from '@/lib/dal/cascade/support';
import { auditKpi, writeTarget } from './write-support';

/*
 * Explicit "leads" links (issue 24, item 3): a KPI believed to lead another one that it does not
 * feed by parent link or formula. The link is the lagging KPI's: it changes what its page shows
 * and may inform its projection, so it takes `kpis.write` on the lagging KPI, like its form.
 */

/** One explicit link as written. */
export type KpiLeadDto = { leadKpiId: string; laggingKpiId: string };

async function loadPair(ctx: OrgContext, tx: Tx, input: KpiLeadInput) {
  const scope = await authzScopeInTx(ctx, tx);
  const lagging = await getKpiForWrite(tx, scope, ctx.org.id, input.laggingKpiId);
  const lead = await getKpiForWrite(tx, scope, ctx.org.id, input.leadKpiId);
  assertCan(scope, 'kpis.write', writeTarget(lagging));
  return { lead, lagging };
}

async function linkExists(tx: Tx, orgId: string, input: KpiLeadInput): Promise<boolean> {
  const [row] = await tx
    .select({ orgId: kpiLeads.orgId })
    .from(kpiLeads)
    .where(
      and(
        eq(kpiLeads.orgId, orgId),
        eq(kpiLeads.leadKpiId, input.leadKpiId),
        eq(kpiLeads.laggingKpiId, input.laggingKpiId),
      ),
    )
    .limit(1);
  return row !== undefined;
}

/** Does `lead` already feed `lagging` (as its child, or as an input of its formula)? */
async function feeds(
  tx: Tx,
  orgId: string,
  lead: KpiForWrite,
  lagging: KpiForWrite,
): Promise<boolean> {
  if (lead.parentId === lagging.id) return true;
  if (lead.key === null || lagging.formula === null) return false;
  const [row] = await tx
    .select({ inputs: kpis.formulaInputs })
    .from(kpis)
    .where(and(eq(kpis.orgId, orgId), eq(kpis.id, lagging.id)))
    .limit(1);
  return (row?.inputs ?? []).includes(lead.key);
}

/**
 * Links KPI `leadKpiId` as leading `laggingKpiId`. Both must be KPIs of the org the actor may see
 * (another org's, a hidden or a missing one: NOT_FOUND), and the actor needs `kpis.write` on the
 * lagging KPI. Refused (nothing written) for itself, an archived KPI, a lead of a longer cadence
 * (it cannot be measured period by period), one that already feeds the KPI, or a duplicate.
 * Audited as `kpi.lead_add` on the lagging KPI. Tenant: ctx.org.
 */
export async function addKpiLead(
  ctx: OrgContext,
  tx: Tx,
  input: KpiLeadInput,
): Promise<KpiLeadDto> {
  if (input.leadKpiId === input.laggingKpiId) {
    throw validationError('A KPI cannot lead itself: pick another KPI.');
  }
  const { lead, lagging } = await loadPair(ctx, tx, input);
  if (lead.archivedOn || lagging.archivedOn) {
    throw validationError('An archived KPI cannot be linked as a leading indicator.');
  }
  if (!isCadenceNoLongerThan(lead.cadence, lagging.cadence)) {
    throw validationError(
      `${lead.name} is measured by ${lead.cadence}, less often than ${lagging.name} (by ${lagging.cadence}): a leading indicator needs a cadence no longer than the KPI it leads.`,
    );
  }
  if (await feeds(tx, ctx.org.id, lead, lagging)) {
    throw validationError(
      `${lead.name} already feeds ${lagging.name} (as a child or a formula input): it is measured as a leading indicator without a link.`,
    );
  }
  if (await linkExists(tx, ctx.org.id, input)) {
    throw validationError(`${lead.name} is already linked as leading ${lagging.name}.`);
  }
  const inserted = await tx
    .insert(kpiLeads)
    .values({
      orgId: ctx.org.id,
      leadKpiId: lead.id,
      laggingKpiId: lagging.id,
      createdByUserId: ctx.actor.userId,
    })
    .onConflictDoNothing()
    .returning({ leadKpiId: kpiLeads.leadKpiId });
  if (inserted.length === 0) {
    throw validationError(`${lead.name} is already linked as leading ${lagging.name}.`);
  }
  await auditKpi(ctx, tx, 'kpi.lead_add', lagging.id, null, { leadKpiId: lead.id });
  return { leadKpiId: lead.id, laggingKpiId: lagging.id };
}

/**
 * Removes the explicit link of `leadKpiId` leading `laggingKpiId`; NOT_FOUND when there is none
 * (or either KPI is another org's, hidden or missing). `kpis.write` on the lagging KPI. Audited
 * as `kpi.lead_remove` on the lagging KPI. Tenant: ctx.org.
 */
export async function removeKpiLead(
  ctx: OrgContext,
  tx: Tx,
  input: KpiLeadInput,
): Promise<KpiLeadDto> {
  const { lead, lagging } = await loadPair(ctx, tx, input);
  const removed = await tx
    .delete(kpiLeads)
    .where(
      and(
        eq(kpiLeads.orgId, ctx.org.id),
        eq(kpiLeads.leadKpiId, lead.id),
        eq(kpiLeads.laggingKpiId, lagging.id),
      ),
    )
    .returning({ leadKpiId: kpiLeads.leadKpiId });
  if (removed.length === 0) throw notFoundError();
  await auditKpi(ctx, tx, 'kpi.lead_remove', lagging.id, { leadKpiId: lead.id }, null);
  return { leadKpiId: lead.id, laggingKpiId: lagging.id };
}
