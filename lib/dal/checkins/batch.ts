import { and, eq, inArray } from 'drizzle-orm';
import { withOrgTx, type Tx } from '@/db/client';
import { auditLog, checkins, kpis, memberships } from '@/db/schema';
import { assertCan } from '@/lib/authz/can';
import {
  AppError,
  notFoundError,
  validationError,
  type ErrorCode,
  type FieldErrors,
} from '@/lib/errors';
import type { OrgContext } from '@/lib/server/org-context';
import type { RecordCheckinInput } from '@/lib/validation/checkins';
import { lockOrgCascade } from '../cascade/locks';
import { recomputeMany } from '../cascade/recompute';
import { kpiColumns, toKpiDto, type KpiForWrite } from '../cascade/kpi-rows';
import { authzScopeInTx } from '../cascade/support';
import { checkinRecordedEvent, recordWebhookEvents } from '../webhooks/outbox';
import {
  type CheckinSource,
  checkinColumns,
  toCheckinDto,
  assertMayRecord,
  assertManual,
  assertNotFuture,
} from './rules';
import {
  assertInRange,
  assertUsualOrConfirmed,
  CONFIRM_FIELD,
  loadRecentReadings,
  unusualWarning,
  type UnusualMode,
} from './value-checks';

/*
 * Batches of new check-ins (the API's `items`, CSV imports, the check-in screen's save all): checked
 * item by item with field errors per item, then written together, all or nothing, in the caller's
 * transaction with one recompute.
 */
/** What an item naming a missing, hidden or another organization's KPI shows. */
export const UNKNOWN_KPI_MESSAGE = 'No KPI with this id or key';

/**
 * What a refused item of a batch shows next to its field: the item's own field message, else a
 * plain reason. Anything but an AppError (a database failure) is rethrown.
 */
export function batchItemMessage(error: unknown): string {
  if (!(error instanceof AppError)) throw error;
  if (error.code === 'NOT_FOUND') return UNKNOWN_KPI_MESSAGE;
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

/** A value a batch accepts but flags: far from its KPI's recent readings. */
export type BatchWarning = { index: number; path: string; message: string };

/**
 * A batch's refusals (the field errors of every bad item, and the codes that refused them) and
 * its warnings (unusual values of items that are not refused, in `flag` mode).
 */
export type BatchProblems = {
  fieldErrors: FieldErrors;
  codes: ReadonlySet<ErrorCode>;
  warnings: BatchWarning[];
};

/**
 * Checks a batch of check-ins without writing (the check of `validateCheckinsBatch`, for callers
 * that answer with their own error): a KPI that does not exist, is in another org or is hidden
 * reads "not found" alike; a value outside its KPI's valid range is refused; a value far from its
 * KPI's recent readings is a warning (`flag`: CSV, API) or, unless the item confirms it, a
 * refusal on `confirmUnusual` (`confirm`: the check-in screen). Tenant: ctx.org. Permission:
 * `checkins.write` on every KPI.
 */
export async function findCheckinsBatchProblems(
  ctx: OrgContext,
  tx: Tx,
  items: readonly CheckinBatchItem[],
  fields: BatchFieldNames = {},
  unusual: UnusualMode = 'flag',
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
  const judged: { index: number; kpi: KpiForWrite }[] = [];
  items.forEach((item, index) => {
    const kpiKey = fieldKey(index, kpiField);
    let kpi: KpiForWrite | undefined;
    try {
      const found = loaded.get(item.kpiId);
      if (!found) throw notFoundError();
      assertCan(scope, 'kpis.read', found, { hide: true });
      assertMayRecord(scope, found, kpiKey);
      assertManual(found, kpiKey);
      kpi = found;
    } catch (error) {
      note(kpiKey, error);
    }
    let dated = true;
    try {
      assertNotFuture(item.observedOn, ctx.org.timeZone);
    } catch (error) {
      dated = false;
      note(fieldKey(index, 'observedOn'), error);
    }
    if (!kpi) return;
    const valueKey = fieldKey(index, 'value');
    try {
      assertInRange(kpi, item.value, ctx.org.locale, valueKey);
      if (dated) judged.push({ index, kpi });
    } catch (error) {
      note(valueKey, error);
    }
  });

  // Unusual values, among the items nothing else refuses.
  const warnings: BatchWarning[] = [];
  const asked = judged.filter(
    ({ index }) => !(unusual === 'confirm' && items[index]!.confirmUnusual),
  );
  const recent = await loadRecentReadings(
    tx,
    orgId,
    asked.map(({ index }) => ({
      kpiId: items[index]!.kpiId,
      observedOn: items[index]!.observedOn,
    })),
  );
  asked.forEach(({ index, kpi }, i) => {
    const item = items[index]!;
    if (unusual === 'flag') {
      const message = unusualWarning(kpi, item.value, recent[i] ?? [], ctx.org.locale);
      if (message) warnings.push({ index, path: fieldKey(index, 'value'), message });
      return;
    }
    const confirmKey = fieldKey(index, CONFIRM_FIELD);
    try {
      assertUsualOrConfirmed(kpi, item.value, recent[i] ?? [], false, ctx.org.locale, confirmKey);
    } catch (error) {
      note(confirmKey, error);
    }
  });
  return { fieldErrors: problems, codes, warnings };
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
  unusual: UnusualMode = 'flag',
): Promise<BatchWarning[]> {
  const found = await findCheckinsBatchProblems(ctx, tx, items, fields, unusual);
  const problems = found.fieldErrors;
  const bad = Object.keys(problems).length;
  if (bad > 0) {
    throw validationError(
      `Nothing was saved: ${bad} ${bad === 1 ? 'field needs' : 'fields need'} fixing.`,
      problems,
    );
  }
  return found.warnings;
}

/**
 * Records many check-ins at once (CSV import, API) in the caller's transaction: the whole batch
 * is checked first (`validateCheckinsBatch`: one bad item refuses all), then all are inserted and
 * each affected (KPI, period) and ancestor period is recomputed once; returns the unusual values
 * it flagged (`flag` mode). Tenant: ctx.org. Permission: `checkins.write` on every KPI. Holds the
 * org cascade lock.
 */
export async function recordCheckinsBatch(
  ctx: OrgContext,
  tx: Tx,
  items: readonly CheckinBatchItem[],
  fields: BatchFieldNames = {},
  unusual: UnusualMode = 'flag',
): Promise<{ count: number; ids: string[]; warnings: BatchWarning[] }> {
  if (items.length === 0) return { count: 0, ids: [], warnings: [] };
  await lockOrgCascade(tx, ctx.org.id);
  const warnings = await validateCheckinsBatch(ctx, tx, items, fields, unusual);
  const written = await insertCheckinsBatch(ctx, tx, items);
  return { ...written, warnings };
}

/**
 * Inserts check-ins already checked by `findCheckinsBatchProblems` in this transaction, under the
 * org cascade lock the caller holds (the check-in screen's save all checks its rows with its own
 * answer, then writes them here once), audits each and recomputes each affected (KPI, period)
 * and ancestor period once. Tenant: ctx.org. Permission: checked by the caller, as above.
 */
export async function insertCheckinsBatch(
  ctx: OrgContext,
  tx: Tx,
  items: readonly CheckinBatchItem[],
): Promise<{ count: number; ids: string[] }> {
  if (items.length === 0) return { count: 0, ids: [] };
  const orgId = ctx.org.id;
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
    await recordWebhookEvents(
      tx,
      orgId,
      rows.map((row) => checkinRecordedEvent(toCheckinDto(row))),
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
  await withOrgTx(ctx.org.id, async (tx) => {
    await validateCheckinsBatch(ctx, tx, items, fields);
  });
}
