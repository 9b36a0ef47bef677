import { and, eq, ne, sql } from 'drizzle-orm';
import type { Tx } from '@/db/client';
import { kpis, units } from '@/db/schema';
import { assertCan } from '@/lib/authz/can';
import { notFoundError, validationError } from '@/lib/errors';
import type { OrgContext } from '@/lib/server/org-context';
import { appendAudit } from '@/lib/dal/audit';
import { lockOrgCascade } from '@/lib/dal/cascade/locks';
import {
  getKpiForWrite,
  kpiColumns,
  toKpiDto,
  type KpiDto,
  type KpiForWrite,
} from '@/lib/dal/cascade/kpi-rows';
import { assertVersion, authzScopeInTx } from '@/lib/dal/cascade/support';
import { recordWebhookEvents } from '../webhooks/outbox';

/*
 * What every KPI write shares: the edit preamble (lock, load, permission, archived, version), the
 * row update that bumps the version, the key check, and the audit record. Every function runs
 * inside the caller's tenant transaction (`withOrgTx`) and scopes every query by ctx.org.id.
 */

export const ARCHIVED_MESSAGE = 'This KPI is archived: it can no longer be changed.';

/** The fields `kpis.write` and `kpis.assign_owner` are decided on. */
export function writeTarget(
  kpi: Pick<KpiForWrite, 'unitId' | 'ownerUserId' | 'isIndividual' | 'ownerHomeUnitId'>,
) {
  return {
    unitId: kpi.unitId,
    ownerUserId: kpi.ownerUserId,
    isIndividual: kpi.isIndividual,
    ownerHomeUnitId: kpi.ownerHomeUnitId,
  };
}

/** Kind and archived state of a unit of the org; another org's id or a missing one: NOT_FOUND. */
export async function getUnitKind(
  tx: Tx,
  orgId: string,
  unitId: string,
): Promise<{ kind: 'company' | 'department' | 'team'; archived: boolean }> {
  const [row] = await tx
    .select({ kind: units.kind, archivedAt: units.archivedAt })
    .from(units)
    .where(and(eq(units.orgId, orgId), eq(units.id, unitId)))
    .limit(1);
  if (!row) throw notFoundError();
  return { kind: row.kind, archived: row.archivedAt !== null };
}

/** Refuses a KPI key another KPI of the org (other than `exceptId`) already uses. */
export async function assertKeyFree(
  tx: Tx,
  orgId: string,
  key: string,
  exceptId: string,
): Promise<void> {
  const [taken] = await tx
    .select({ id: kpis.id })
    .from(kpis)
    .where(and(eq(kpis.orgId, orgId), eq(kpis.key, key), ne(kpis.id, exceptId)))
    .limit(1);
  if (taken) {
    throw validationError('Another KPI already uses this key.', {
      key: ['Another KPI of this organization already uses this key'],
    });
  }
}

/** Updates one KPI row of the org, bumping its version; a missing row: NOT_FOUND. */
export async function updateKpiRow(
  tx: Tx,
  orgId: string,
  kpiId: string,
  set: Partial<typeof kpis.$inferInsert>,
): Promise<KpiDto> {
  const [row] = await tx
    .update(kpis)
    .set({ ...set, version: sql`${kpis.version} + 1`, updatedAt: sql`now()` })
    .where(and(eq(kpis.orgId, orgId), eq(kpis.id, kpiId)))
    .returning(kpiColumns);
  if (!row) throw notFoundError();
  return toKpiDto(row);
}

/**
 * Appends the audit record of a KPI write by the actor, in the write's transaction, and the
 * `kpi.updated` webhook event (its outbox, written only where an endpoint subscribes).
 */
export async function auditKpi(
  ctx: OrgContext,
  tx: Tx,
  action: string,
  entityId: string,
  before: unknown,
  after: unknown,
): Promise<void> {
  await appendAudit(tx, {
    orgId: ctx.org.id,
    actorUserId: ctx.actor.userId,
    action,
    entityType: 'kpi',
    entityId,
    before,
    after,
  });
  await recordWebhookEvents(tx, ctx.org.id, [
    { type: 'kpi.updated', kpiId: entityId, data: { action, before, after } },
  ]);
}

/**
 * The common start of an edit of one KPI (seen at `input.version`): takes the org cascade lock,
 * loads the KPI (another org's or a hidden one: NOT_FOUND), checks `kpis.write` on its unit,
 * refuses an archived KPI with `archivedMessage` and a stale version with CONFLICT.
 */
export async function lockKpiForEdit(
  ctx: OrgContext,
  tx: Tx,
  input: { kpiId: string; version: number },
  archivedMessage = ARCHIVED_MESSAGE,
) {
  await lockOrgCascade(tx, ctx.org.id);
  const scope = await authzScopeInTx(ctx, tx);
  const kpi = await getKpiForWrite(tx, scope, ctx.org.id, input.kpiId);
  assertCan(scope, 'kpis.write', writeTarget(kpi));
  if (kpi.archivedOn) throw validationError(archivedMessage);
  assertVersion(kpi.version, input.version);
  return { scope, kpi };
}
