import type { Tx } from '@/db/client';
import { AppError, type ErrorCode, type FieldErrors } from '@/lib/errors';
import type { OrgContext } from '@/lib/server/org-context';
import type { SaveCheckinsInput } from '@/lib/validation/checkins';
import { lockOrgCascade } from '../cascade/locks';
import { batchItemMessage, findCheckinsBatchProblems, recordCheckinsBatch } from './batch';
import { updateCheckin } from './edit';

type RecordItem = Extract<SaveCheckinsInput['items'][number], { kind: 'record' }>;

/** The code of a refused save: the gravest of its rows' (a denial stays a denial). */
const GRAVITY: readonly ErrorCode[] = ['FORBIDDEN', 'NOT_FOUND', 'CONFLICT', 'VALIDATION'];

/**
 * The check-in screen's "save all", in the caller's one transaction: the rows that edit this
 * period's reading go through `updateCheckin`, the new values through `recordCheckinsBatch`
 * together. Every row is checked; when any is refused nothing is kept, and one error (FORBIDDEN,
 * NOT_FOUND, CONFLICT or VALIDATION, the gravest of its rows') names each bad row as
 * `items.<index>.<field>`. Tenant: ctx.org. Permission: `checkins.write` on every row's KPI.
 * Holds the org cascade lock.
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
    const { kind: _kind, ...edit } = item;
    try {
      await updateCheckin(ctx, tx, edit);
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
  const bad = new Set(Object.keys(problems).map((key) => key.split('.')[1])).size;
  if (bad > 0) {
    throw new AppError(
      GRAVITY.find((code) => codes.has(code)) ?? 'VALIDATION',
      `Nothing was saved: ${bad} ${bad === 1 ? 'row needs' : 'rows need'} fixing.`,
      problems,
    );
  }
  await recordCheckinsBatch(ctx, tx, batch, fields, 'confirm');
  return { count: input.items.length };
}
