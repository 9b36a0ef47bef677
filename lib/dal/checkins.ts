import { and, eq, inArray, sql } from 'drizzle-orm';
import { withOrgTx, type Tx } from '@/db/client';
import { auditLog, checkins, kpis, memberships } from '@/db/schema';
import { assertCan, type AuthzScope } from '@/lib/authz/can';
import { addDays, todayInTimeZone } from '@/lib/domain/dates';
import { normalizeDecimal } from '@/lib/domain/decimal';
import {
  AppError,
  notFoundError,
  validationError,
  type ErrorCode,
  type FieldErrors,
} from '@/lib/errors';
import type { OrgContext } from '@/lib/server/org-context';
import type {
  DeleteCheckinInput,
  RecordCheckinInput,
  UpdateCheckinInput,
} from '@/lib/validation/checkins';
import { appendAudit } from './audit';
import { lockOrgCascade } from './cascade/locks';
import { recomputeFrom, recomputeMany } from './cascade/recompute';
import { getKpiForWrite, kpiColumns, toKpiDto, type KpiForWrite } from './cascade/kpi-rows';
import { assertVersion, authzScopeInTx } from './cascade/support';

/*
 * Check-ins: one observed value of a KPI on a date. Every write here runs in the caller's tenant
 * transaction, takes the org cascade lock first, checks `checkins.write` on the KPI (owners and
 * admins; leads in their subtree; members on KPIs they own), recomputes the affected periods of
 * the KPI and its ancestors, and appends an audit record. Values stay exact decimal strings. A
 * new single check-in has its own pipelined path: record-checkin.ts (the checks it shares with
 * these writes are exported from here).
 */

export type CheckinSource = 'manual' | 'csv' | 'api';

/** A check-in as the check-in actions return it. */
export type CheckinDto = {
  id: string;
  kpiId: string;
  observedOn: string;
  value: string;
  note: string;
  source: CheckinSource;
  authorUserId: string | null;
  version: number;
  createdAt: string;
};

const checkinColumns = {
  id: checkins.id,
  kpiId: checkins.kpiId,
  observedOn: checkins.observedOn,
  value: checkins.value,
  note: checkins.note,
  source: checkins.source,
  authorUserId: checkins.authorUserId,
  version: checkins.version,
  createdAt: checkins.createdAt,
};

type CheckinRow = Omit<CheckinDto, 'createdAt'> & { createdAt: Date };

function toCheckinDto(row: CheckinRow): CheckinDto {
  return { ...row, value: normalizeDecimal(row.value), createdAt: row.createdAt.toISOString() };
}

/** Message for a check-in on a KPI whose value is rolled up from its children. */
export const COMPUTED_KPI_MESSAGE =
  'Values of this KPI come from its children: record values on the KPIs that roll up into it.';

export type RecordTarget = Pick<
  KpiForWrite,
  'unitId' | 'ownerUserId' | 'isIndividual' | 'ownerHomeUnitId' | 'archivedOn' | 'rollup'
>;

export function assertMayRecord(scope: AuthzScope, kpi: RecordTarget, field = 'kpiId'): void {
  assertCan(scope, 'checkins.write', {
    unitId: kpi.unitId,
    ownerUserId: kpi.ownerUserId,
    isIndividual: kpi.isIndividual,
    ownerHomeUnitId: kpi.ownerHomeUnitId,
  });
  if (kpi.archivedOn) {
    throw validationError('This KPI is archived: its values can no longer change.', {
      [field]: ['This KPI is archived'],
    });
  }
}

export function assertManual(kpi: Pick<KpiForWrite, 'rollup'>, field = 'kpiId'): void {
  if (kpi.rollup !== 'manual') {
    throw validationError(COMPUTED_KPI_MESSAGE, { [field]: [COMPUTED_KPI_MESSAGE] });
  }
}

/**
 * Refuses a date after today in the org's time zone. A date before yesterday in UTC is in the
 * past in every zone (offsets stay within a day), so the costly zone lookup only runs near today.
 */
export function assertNotFuture(observedOn: string, timeZone: string, field = 'observedOn'): void {
  const utcYesterday = addDays(new Date().toISOString().slice(0, 10), -1);
  if (observedOn < utcYesterday) return;
  const today = todayInTimeZone(timeZone);
  if (observedOn > today) {
    throw validationError('A check-in cannot be dated in the future.', {
      [field]: [`Choose a date on or before today (${today})`],
    });
  }
}

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
 * period. Tenant: ctx.org. Permission: `checkins.write` on the check-in's KPI. Holds the lock.
 */
export async function updateCheckin(
  ctx: OrgContext,
  tx: Tx,
  input: UpdateCheckinInput,
): Promise<CheckinDto> {
  const orgId = ctx.org.id;
  await lockOrgCascade(tx, orgId);
  const { checkin, kpi } = await getCheckinForWrite(ctx, tx, input.checkinId);
  assertVersion(checkin.version, input.version);
  assertManual(kpi, 'checkinId');
  const observedOn = input.observedOn ?? checkin.observedOn;
  assertNotFuture(observedOn, ctx.org.timeZone);
  const before = toCheckinDto(checkin);
  const value = input.value ?? before.value;
  const note = input.note ?? checkin.note;
  if (observedOn === before.observedOn && value === before.value && note === before.note) {
    return before;
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
  await appendAudit(tx, {
    orgId,
    actorUserId: ctx.actor.userId,
    action: 'checkin.delete',
    entityType: 'checkin',
    entityId: checkin.id,
    before: toCheckinDto(checkin),
  });
  return { id: checkin.id };
}

/**
 * What a refused item of a batch shows next to its field: the item's own field message, else a
 * plain reason. Anything but an AppError (a database failure) is rethrown.
 */
export function batchItemMessage(error: unknown): string {
  if (!(error instanceof AppError)) throw error;
  if (error.code === 'NOT_FOUND') return 'No KPI with this id or key';
  if (error.code === 'FORBIDDEN') return 'You may not record values on this KPI';
  return Object.values(error.fieldErrors ?? {})[0]?.[0] ?? error.message;
}

/** One item of a batch: already parsed by `recordCheckinSchema` (exact, normalized strings). */
export type CheckinBatchItem = RecordCheckinInput & { source?: CheckinSource };

const CHUNK = 1000;

/**
 * Where a batch's field errors point: `<prefix>.<index>.<field>`, or just `<field>` with
 * `prefix: null`; `indices[i]` is item i's index in the caller's list (when the batch is a subset).
 */
export type BatchFieldNames = { prefix?: string | null; kpi?: string; indices?: readonly number[] };

/** A batch's refusals: the field errors of every bad item, and the codes that refused them. */
export type BatchProblems = { fieldErrors: FieldErrors; codes: ReadonlySet<ErrorCode> };

/**
 * Checks a batch of check-ins without writing (the check of `validateCheckinsBatch`, for callers
 * that answer with their own error): a KPI that does not exist, is in another org or is hidden
 * reads "not found" alike. Tenant: ctx.org. Permission: `checkins.write` on every KPI.
 */
export async function findCheckinsBatchProblems(
  ctx: OrgContext,
  tx: Tx,
  items: readonly CheckinBatchItem[],
  fields: BatchFieldNames = {},
): Promise<BatchProblems> {
  const orgId = ctx.org.id;
  const prefix = fields.prefix === undefined ? 'items' : fields.prefix;
  const fieldKey = (index: number, field: string) =>
    prefix === null ? field : `${prefix}.${fields.indices?.[index] ?? index}.${field}`;
  const kpiField = fields.kpi ?? 'kpiId';
  const scope = await authzScopeInTx(ctx, tx);
  const kpiIds = [...new Set(items.map((i) => i.kpiId))];
  const loaded = new Map<string, KpiForWrite>();
  for (let i = 0; i < kpiIds.length; i += CHUNK) {
    const rows = await tx
      .select({ ...kpiColumns, ownerHomeUnitId: memberships.homeUnitId })
      .from(kpis)
      .leftJoin(
        memberships,
        and(eq(memberships.orgId, kpis.orgId), eq(memberships.userId, kpis.ownerUserId)),
      )
      .where(and(eq(kpis.orgId, orgId), inArray(kpis.id, kpiIds.slice(i, i + CHUNK))));
    for (const { ownerHomeUnitId, ...dto } of rows) {
      loaded.set(dto.id, { ...toKpiDto(dto), ownerHomeUnitId });
    }
  }
  const problems: FieldErrors = {};
  const codes = new Set<ErrorCode>();
  const note = (field: string, error: unknown) => {
    (problems[field] ??= []).push(batchItemMessage(error));
    if (error instanceof AppError) codes.add(error.code);
  };
  items.forEach((item, index) => {
    const kpiKey = fieldKey(index, kpiField);
    try {
      const kpi = loaded.get(item.kpiId);
      if (!kpi) throw notFoundError();
      assertCan(scope, 'kpis.read', kpi, { hide: true });
      assertMayRecord(scope, kpi, kpiKey);
      assertManual(kpi, kpiKey);
    } catch (error) {
      note(kpiKey, error);
    }
    try {
      assertNotFuture(item.observedOn, ctx.org.timeZone);
    } catch (error) {
      note(fieldKey(index, 'observedOn'), error);
    }
  });
  return { fieldErrors: problems, codes };
}

/**
 * Checks a batch of check-ins without writing (the CSV preview; the first step of
 * `recordCheckinsBatch`): a refused item refuses the batch as one VALIDATION error naming every
 * bad item; a KPI that does not exist, is in another org or is hidden reads "not found" alike.
 * Tenant: ctx.org. Permission: `checkins.write` on every KPI.
 */
export async function validateCheckinsBatch(
  ctx: OrgContext,
  tx: Tx,
  items: readonly CheckinBatchItem[],
  fields: BatchFieldNames = {},
): Promise<void> {
  const { fieldErrors: problems } = await findCheckinsBatchProblems(ctx, tx, items, fields);
  const bad = Object.keys(problems).length;
  if (bad > 0) {
    throw validationError(
      `Nothing was saved: ${bad} ${bad === 1 ? 'field needs' : 'fields need'} fixing.`,
      problems,
    );
  }
}

/**
 * Records many check-ins at once (CSV import, API) in the caller's transaction: the whole batch
 * is checked first (`validateCheckinsBatch`: one bad item refuses all), then all are inserted and
 * each affected (KPI, period) and ancestor period is recomputed once. Tenant: ctx.org.
 * Permission: `checkins.write` on every KPI. Holds the org cascade lock.
 */
export async function recordCheckinsBatch(
  ctx: OrgContext,
  tx: Tx,
  items: readonly CheckinBatchItem[],
  fields: BatchFieldNames = {},
): Promise<{ count: number; ids: string[] }> {
  if (items.length === 0) return { count: 0, ids: [] };
  const orgId = ctx.org.id;
  await lockOrgCascade(tx, orgId);
  await validateCheckinsBatch(ctx, tx, items, fields);

  const ids: string[] = [];
  for (let i = 0; i < items.length; i += CHUNK) {
    const chunk = items.slice(i, i + CHUNK);
    const rows = await tx
      .insert(checkins)
      .values(
        chunk.map((item) => ({
          orgId,
          kpiId: item.kpiId,
          observedOn: item.observedOn,
          value: item.value,
          note: item.note ?? '',
          source: item.source ?? 'manual',
          authorUserId: ctx.actor.userId,
        })),
      )
      .returning(checkinColumns);
    await tx.insert(auditLog).values(
      rows.map((row) => ({
        orgId,
        actorUserId: ctx.actor.userId,
        action: 'checkin.create',
        entityType: 'checkin',
        entityId: row.id,
        before: null,
        after: toCheckinDto(row),
      })),
    );
    ids.push(...rows.map((r) => r.id));
  }

  const sources = new Map<string, Set<string>>();
  for (const item of items) {
    let dates = sources.get(item.kpiId);
    if (!dates) sources.set(item.kpiId, (dates = new Set()));
    dates.add(item.observedOn);
  }
  await recomputeMany(tx, orgId, ctx.org.fyStartMonth, sources);
  return { count: ids.length, ids };
}

/**
 * `validateCheckinsBatch` in a read-only tenant transaction of its own: the API uses it to name
 * every bad item of a batch whose other items already failed to parse. Tenant: ctx.org.
 */
export async function checkCheckinsBatch(
  ctx: OrgContext,
  items: readonly CheckinBatchItem[],
  fields: BatchFieldNames = {},
): Promise<void> {
  if (items.length === 0) return;
  await withOrgTx(ctx.org.id, (tx) => validateCheckinsBatch(ctx, tx, items, fields));
}
