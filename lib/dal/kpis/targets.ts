import { and, eq } from 'drizzle-orm';
import type { Tx } from '@/db/client';
import { kpiTargets } from '@/db/schema';
import { assertCan } from '@/lib/authz/can';
import { normalizeDecimal } from '@/lib/domain/decimal';
import { refuseProblem } from '@/lib/domain/problem';
import { targetPeriodProblem } from '@/lib/domain/targets';
import { validationError } from '@/lib/errors';
import type { OrgContext } from '@/lib/server/org-context';
import type { ClearTargetInput, SetTargetInput } from '@/lib/validation/kpis';
import { appendAudit } from '@/lib/dal/audit';
import { recordWebhookEvents } from '@/lib/dal/webhooks/outbox';
import { lockOrgCascade } from '@/lib/dal/cascade/locks';
import { getKpiForWrite, type KpiForWrite } from '@/lib/dal/cascade/kpi-rows';
import { authzScopeInTx } from '@/lib/dal/cascade/support';
import { ARCHIVED_MESSAGE, writeTarget } from './write-support';

/** A per-period target override. */
export type KpiTargetDto = { kpiId: string; periodStart: string; target: string | null };

async function loadForTarget(
  ctx: OrgContext,
  tx: Tx,
  kpiId: string,
  start: string,
): Promise<KpiForWrite> {
  await lockOrgCascade(tx, ctx.org.id); // a concurrent cadence change must not strand the override
  const scope = await authzScopeInTx(ctx, tx);
  const kpi = await getKpiForWrite(tx, scope, ctx.org.id, kpiId);
  assertCan(scope, 'targets.write', writeTarget(kpi));
  refuseProblem(targetPeriodProblem(start, kpi.cadence, ctx.org.fyStartMonth, ctx.org.locale));
  return kpi;
}

async function currentOverride(
  tx: Tx,
  orgId: string,
  kpiId: string,
  start: string,
): Promise<string | null> {
  const [row] = await tx
    .select({ target: kpiTargets.target })
    .from(kpiTargets)
    .where(
      and(
        eq(kpiTargets.orgId, orgId),
        eq(kpiTargets.kpiId, kpiId),
        eq(kpiTargets.periodStart, start),
      ),
    )
    .limit(1);
  return row ? normalizeDecimal(row.target) : null;
}

/**
 * Sets the target of one period of a KPI (overriding its default target). `periodStart` must
 * start a period of the KPI's cadence (fiscal year of the org). Tenant: ctx.org. Permission:
 * `targets.write` on the KPI's unit. Targets never change period values.
 */
export async function setTarget(
  ctx: OrgContext,
  tx: Tx,
  input: SetTargetInput,
): Promise<KpiTargetDto> {
  const kpi = await loadForTarget(ctx, tx, input.kpiId, input.periodStart);
  if (kpi.archivedOn) throw validationError(ARCHIVED_MESSAGE);
  const before = await currentOverride(tx, ctx.org.id, kpi.id, input.periodStart);
  const after: KpiTargetDto = {
    kpiId: kpi.id,
    periodStart: input.periodStart,
    target: input.target,
  };
  if (before !== null && before === input.target) return after;
  const previous = before === null ? null : { ...after, target: before };
  await tx
    .insert(kpiTargets)
    .values({
      orgId: ctx.org.id,
      kpiId: kpi.id,
      periodStart: input.periodStart,
      target: input.target,
    })
    .onConflictDoUpdate({
      target: [kpiTargets.orgId, kpiTargets.kpiId, kpiTargets.periodStart],
      set: { target: input.target, updatedAt: new Date() },
    });
  await appendAudit(tx, {
    orgId: ctx.org.id,
    actorUserId: ctx.actor.userId,
    action: 'target.set',
    entityType: 'kpi_target',
    entityId: `${kpi.id}:${input.periodStart}`,
    before: previous,
    after,
  });
  await targetWebhookEvent(ctx, tx, 'target.set', previous, after);
  return after;
}

/**
 * Removes the target override of one period (the default target applies again). Tenant:
 * ctx.org. Permission: `targets.write` on the KPI's unit.
 */
export async function clearTarget(
  ctx: OrgContext,
  tx: Tx,
  input: ClearTargetInput,
): Promise<KpiTargetDto> {
  const kpi = await loadForTarget(ctx, tx, input.kpiId, input.periodStart);
  const before = await currentOverride(tx, ctx.org.id, kpi.id, input.periodStart);
  const after: KpiTargetDto = { kpiId: kpi.id, periodStart: input.periodStart, target: null };
  if (before === null) return after;
  await tx
    .delete(kpiTargets)
    .where(
      and(
        eq(kpiTargets.orgId, ctx.org.id),
        eq(kpiTargets.kpiId, kpi.id),
        eq(kpiTargets.periodStart, input.periodStart),
      ),
    );
  await appendAudit(tx, {
    orgId: ctx.org.id,
    actorUserId: ctx.actor.userId,
    action: 'target.clear',
    entityType: 'kpi_target',
    entityId: `${kpi.id}:${input.periodStart}`,
    before: { ...after, target: before },
    after: null,
  });
  await targetWebhookEvent(ctx, tx, 'target.clear', { ...after, target: before }, after);
  return after;
}

/**
 * A target set or cleared for one period is a change of the KPI for integrations: `kpi.updated`
 * with the audit action (`target.set`, `target.clear`) and the period's target before and after
 * (null: the default target applies), in the write's transaction.
 */
function targetWebhookEvent(
  ctx: OrgContext,
  tx: Tx,
  action: 'target.set' | 'target.clear',
  before: KpiTargetDto | null,
  after: KpiTargetDto,
): Promise<void> {
  return recordWebhookEvents(tx, ctx.org.id, [
    { type: 'kpi.updated', kpiId: after.kpiId, data: { action, before, after } },
  ]);
}
