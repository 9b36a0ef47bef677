import type { Tx } from '@/db/client';
import { AppError, validationError, type FieldErrors } from '@/lib/errors';
import type { OrgContext } from '@/lib/server/org-context';
import type { SaveCheckinsInput } from '@/lib/validation/checkins';
import { lockOrgCascade } from './cascade';
import {
  batchItemMessage,
  recordCheckinsBatch,
  updateCheckin,
  validateCheckinsBatch,
} from './checkins';

type RecordItem = Extract<SaveCheckinsInput['items'][number], { kind: 'record' }>;

/**
 * The check-in screen's "save all", in the caller's one transaction: the rows that edit this
 * period's reading go through `updateCheckin`, the new values through `recordCheckinsBatch`
 * together. Every row is checked; when any is refused nothing is kept and one VALIDATION error
 * names each bad row as `items.<index>.<field>` (a stale reading too). Tenant: ctx.org.
 * Permission: `checkins.write` on every row's KPI. Holds the org cascade lock.
 */
export async function saveCheckins(
  ctx: OrgContext,
  tx: Tx,
  input: SaveCheckinsInput,
): Promise<{ count: number }> {
  await lockOrgCascade(tx, ctx.org.id);
  const problems: FieldErrors = {};
  const records: { index: number; item: RecordItem }[] = [];
  for (const [index, item] of input.items.entries()) {
    if (item.kind === 'record') {
      records.push({ index, item });
      continue;
    }
    const { kind: _kind, ...edit } = item;
    try {
      await updateCheckin(ctx, tx, edit);
    } catch (error) {
      const field = Object.keys((error instanceof AppError && error.fieldErrors) || {})[0];
      problems[`items.${index}.${field ?? 'value'}`] = [
        error instanceof AppError && error.code === 'NOT_FOUND'
          ? 'This reading was deleted in the meantime. Reload and try again.'
          : batchItemMessage(error),
      ];
    }
  }
  const batch = records.map(({ item: { kind: _kind, ...record } }) => record);
  const fields = { indices: records.map((r) => r.index) };
  try {
    // With a row already refused, the new values are only checked: nothing will be kept.
    if (Object.keys(problems).length > 0) await validateCheckinsBatch(ctx, tx, batch, fields);
    else await recordCheckinsBatch(ctx, tx, batch, fields);
  } catch (error) {
    if (!(error instanceof AppError) || error.code !== 'VALIDATION' || !error.fieldErrors) {
      throw error;
    }
    Object.assign(problems, error.fieldErrors);
  }
  const bad = new Set(Object.keys(problems).map((key) => key.split('.')[1])).size;
  if (bad > 0) {
    throw validationError(
      `Nothing was saved: ${bad} ${bad === 1 ? 'row needs' : 'rows need'} fixing.`,
      problems,
    );
  }
  return { count: input.items.length };
}
