import { and, eq, sql } from 'drizzle-orm';
import { type Tx } from '@/db/client';
import { checkins } from '@/db/schema';
import { type AuthzScope } from '@/lib/authz/can';
import { correctionDateProblem } from '@/lib/domain/readings';
import { notFoundError, validationError } from '@/lib/errors';
import type { OrgContext } from '@/lib/server/org-context';
import type { DeleteCheckinInput, UpdateCheckinInput } from '@/lib/validation/checkins';
import { appendAudit } from '../audit';
import { checkinDeletedEvent, checkinUpdatedEvent, recordWebhookEvents } from '../webhooks/outbox';
import { lockOrgCascade } from '../cascade/locks';
import { recomputeFrom } from '../cascade/recompute';
import { getKpiForWrite, type KpiForWrite } from '../cascade/kpi-rows';
import { assertVersion, authzScopeInTx } from '../cascade/support';
import {
  type CheckinDto,
  checkinColumns,
  type CheckinRow,
  toCheckinDto,
  assertMayRecord,
  assertManual,
  assertNotFuture,
} from './rules';
import { assertInRange, assertUsualOrConfirmed, loadRecentReadings } from './value-checks';

/*
 * Check-ins: one observed value of a KPI on a date. Every write here runs in the caller's tenant
 * transaction, takes the org cascade lock first, checks `checkins.write` on the KPI (owners and
 * admins; leads in their subtree; members on KPIs they own), recomputes the affected periods of
 * the KPI and its ancestors, and appends an audit record. Values stay exact decimal strings. A
 * new single check-in has its own pipelined path (lib/dal/cascade/checkin-transaction.ts); the
 * checks it shares with these writes are in rules.ts.
 */

async function getCheckinForWrite(
  ctx: OrgContext,
  tx: Tx,
  checkinId: string,
): Promise<{ checkin: CheckinRow; kpi: KpiForWrite; scope: AuthzScope }> {
  const [checkin] = await tx
    .select(checkinColumns)
    .from(checkins)
    .where(and(eq(checkins.orgId, ctx.org.id), eq(checkins.id, checkinId)))
    .limit(1);
  if (!checkin) throw notFoundError();
  const scope = await authzScopeInTx(ctx, tx);
  const kpi = await getKpiForWrite(tx, scope, ctx.org.id, checkin.kpiId);
  assertMayRecord(scope, kpi, 'checkinId');
  return { checkin, kpi, scope };
}

/**
 * Edits a check-in seen at `input.version` (stale: CONFLICT); recomputes the old and the new
 * period. With `correctionOn` (a check-in screen's date) it only corrects a reading of that date
 * in place: a reading of another date is refused (VALIDATION on `value`), never edited. A new
 * value must lie in the KPI's valid range, and one far from the recent readings needs
 * `confirmUnusual`. Tenant: ctx.org. Permission: `checkins.write` on the check-in's KPI. Holds
 * the lock.
 */
export async function updateCheckin(
  ctx: OrgContext,
  tx: Tx,
  input: UpdateCheckinInput,
  { correctionOn }: { correctionOn?: string } = {},
): Promise<CheckinDto> {
  const orgId = ctx.org.id;
  await lockOrgCascade(tx, orgId);
  const { checkin, kpi } = await getCheckinForWrite(ctx, tx, input.checkinId);
  assertVersion(checkin.version, input.version);
  if (correctionOn !== undefined) {
    const problem = correctionDateProblem(checkin.observedOn, correctionOn, ctx.org.locale);
    if (problem) throw validationError(problem, { value: [problem] });
  }
  assertManual(kpi, 'checkinId');
  const observedOn = input.observedOn ?? checkin.observedOn;
  assertNotFuture(observedOn, ctx.org.timeZone);
  const before = toCheckinDto(checkin);
  const value = input.value ?? before.value;
  const note = input.note ?? checkin.note;
  if (observedOn === before.observedOn && value === before.value && note === before.note) {
    return before;
  }
  if (value !== before.value) {
    assertInRange(kpi, value, ctx.org.locale);
    const [recent] = await loadRecentReadings(tx, orgId, [
      { kpiId: kpi.id, observedOn, exceptId: checkin.id },
    ]);
    assertUsualOrConfirmed(kpi, value, recent ?? [], input.confirmUnusual, ctx.org.locale);
  }
  const [row] = await tx
    .update(checkins)
    .set({
      observedOn,
      value,
      note,
      version: sql`${checkins.version} + 1`,
      updatedAt: sql`now()`,
    })
    .where(and(eq(checkins.orgId, orgId), eq(checkins.id, checkin.id)))
    .returning(checkinColumns);
  if (!row) throw notFoundError();
  if (observedOn !== before.observedOn || value !== before.value) {
    await recomputeFrom(tx, orgId, ctx.org.fyStartMonth, kpi.id, [before.observedOn, observedOn]);
  }
  const after = toCheckinDto(row);
  await appendAudit(tx, {
    orgId,
    actorUserId: ctx.actor.userId,
    action: 'checkin.update',
    entityType: 'checkin',
    entityId: row.id,
    before,
    after,
  });
  await recordWebhookEvents(tx, orgId, [checkinUpdatedEvent(before, after, ctx.actor.userId)]);
  return after;
}

/**
 * Deletes a check-in seen at `input.version` (stale: CONFLICT); the audit log keeps it.
 * Recomputes its period. Tenant: ctx.org. Permission: `checkins.write` on its KPI. Holds the lock.
 */
export async function deleteCheckin(
  ctx: OrgContext,
  tx: Tx,
  input: DeleteCheckinInput,
): Promise<{ id: string }> {
  const orgId = ctx.org.id;
  await lockOrgCascade(tx, orgId);
  const { checkin, kpi } = await getCheckinForWrite(ctx, tx, input.checkinId);
  assertVersion(checkin.version, input.version);
  await tx.delete(checkins).where(and(eq(checkins.orgId, orgId), eq(checkins.id, checkin.id)));
  await recomputeFrom(tx, orgId, ctx.org.fyStartMonth, kpi.id, [checkin.observedOn]);
  const before = toCheckinDto(checkin);
  await appendAudit(tx, {
    orgId,
    actorUserId: ctx.actor.userId,
    action: 'checkin.delete',
    entityType: 'checkin',
    entityId: checkin.id,
    before,
  });
  await recordWebhookEvents(tx, orgId, [checkinDeletedEvent(before, ctx.actor.userId)]);
  return { id: checkin.id };
}
