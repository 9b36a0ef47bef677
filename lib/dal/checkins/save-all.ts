import { and, eq, inArray, ne } from 'drizzle-orm';
import type { Tx } from '@/db/client';
import { checkins, kpis } from '@/db/schema';
import { sameDateReadingExists } from '@/lib/domain/readings';
import { AppError, type ErrorCode, type FieldErrors } from '@/lib/errors';
import type { OrgContext } from '@/lib/server/org-context';
import type { SaveCheckinsInput } from '@/lib/validation/checkins';
import { lockOrgCascade } from '../cascade/locks';
import {
  batchItemMessage,
  findCheckinsBatchProblems,
  insertCheckinsBatch,
  type CheckinBatchItem,
} from './batch';
import { updateCheckin } from './edit';

type RecordItem = Extract<SaveCheckinsInput['items'][number], { kind: 'record' }>;

/** The code of a refused save: the gravest of its rows' (a denial stays a denial). */
const GRAVITY: readonly ErrorCode[] = ['FORBIDDEN', 'NOT_FOUND', 'CONFLICT', 'VALIDATION'];

/**
 * A check-in screen's save, in the caller's one transaction (DESIGN.md: every reading is kept).
 * `record` rows are new readings dated as the screen says, inserted together; `update` rows
 * correct the KPI's reading of that same date in place through `updateCheckin` (versioned,
 * audited with before and after); a reading of another date is never edited here. A new reading
 * of a level or a rate on a date that already has one is refused (CONFLICT: another screen
 * recorded it in the meantime; reloading turns the row into a correction). Every row is checked
 * once; when any is refused nothing is kept, and one error (FORBIDDEN, NOT_FOUND, CONFLICT or
 * VALIDATION, the gravest of its rows') names each bad row as `items.<index>.<field>`.
 * Tenant: ctx.org. Permission: `checkins.write` on every row's KPI. Holds the org cascade lock.
 */
export async function saveCheckins(
  ctx: OrgContext,
  tx: Tx,
  input: SaveCheckinsInput,
): Promise<{ count: number }> {
  await lockOrgCascade(tx, ctx.org.id);
  const problems: FieldErrors = {};
  const codes = new Set<ErrorCode>();
  const records: { index: number; item: RecordItem }[] = [];
  for (const [index, item] of input.items.entries()) {
    if (item.kind === 'record') {
      records.push({ index, item });
      continue;
    }
    const { kind: _kind, observedOn, ...edit } = item;
    try {
      await updateCheckin(ctx, tx, edit, { correctionOn: observedOn });
    } catch (error) {
      const message = batchItemMessage(error); // rethrows a database failure
      const { code, fieldErrors } = error as AppError;
      codes.add(code);
      problems[`items.${index}.${Object.keys(fieldErrors ?? {})[0] ?? 'value'}`] = [
        code === 'NOT_FOUND'
          ? 'This reading was deleted in the meantime. Reload and try again.'
          : message,
      ];
    }
  }
  const batch = records.map(({ item: { kind: _kind, ...record } }) => record);
  const fields = { indices: records.map((r) => r.index) };
  const found = await findCheckinsBatchProblems(ctx, tx, batch, fields, 'confirm');
  Object.assign(problems, found.fieldErrors);
  for (const code of found.codes) codes.add(code);
  for (const i of await findSameDateReadings(ctx, tx, batch)) {
    const row = `items.${records[i]!.index}.`;
    if (Object.keys(problems).some((key) => key.startsWith(row))) continue; // one error a row
    problems[`${row}value`] = [sameDateReadingExists(batch[i]!.observedOn, ctx.org.locale)];
    codes.add('CONFLICT');
  }
  const bad = new Set(Object.keys(problems).map((key) => key.split('.')[1])).size;
  if (bad > 0) {
    throw new AppError(
      GRAVITY.find((code) => codes.has(code)) ?? 'VALIDATION',
      `Nothing was saved: ${bad} ${bad === 1 ? 'row needs' : 'rows need'} fixing.`,
      problems,
    );
  }
  await insertCheckinsBatch(ctx, tx, batch);
  return { count: input.items.length };
}

/**
 * The indices of new readings that would give a level or a rate a second reading on one date:
 * the KPI already has a reading that day, or an earlier row of this save records one. Flows
 * (`sum`) add every entry, so none of theirs is listed. Tenant: ctx.org.
 */
async function findSameDateReadings(
  ctx: OrgContext,
  tx: Tx,
  batch: readonly CheckinBatchItem[],
): Promise<number[]> {
  if (batch.length === 0) return [];
  const kpiIds = [...new Set(batch.map((b) => b.kpiId))];
  const dates = [...new Set(batch.map((b) => b.observedOn))];
  // Each level or rate of the batch, with each of the batch's dates it already has a reading on.
  const rows = await tx
    .selectDistinct({ kpiId: kpis.id, observedOn: checkins.observedOn })
    .from(kpis)
    .leftJoin(
      checkins,
      and(
        eq(checkins.orgId, kpis.orgId),
        eq(checkins.kpiId, kpis.id),
        inArray(checkins.observedOn, dates),
      ),
    )
    .where(
      and(eq(kpis.orgId, ctx.org.id), ne(kpis.timeAggregation, 'sum'), inArray(kpis.id, kpiIds)),
    );
  const isLevel = new Set(rows.map((r) => r.kpiId));
  const taken = new Set(rows.map((r) => `${r.kpiId}|${r.observedOn}`));
  const out: number[] = [];
  batch.forEach((item, i) => {
    if (!isLevel.has(item.kpiId)) return;
    const key = `${item.kpiId}|${item.observedOn}`;
    if (taken.has(key)) out.push(i);
    taken.add(key);
  });
  return out;
}
