import { eq, sql } from 'drizzle-orm';
import type { PgColumn } from 'drizzle-orm/pg-core';
import type { Tx } from '@/db/client';
import { organizations } from '@/db/schema';
import { assertCan } from '@/lib/authz/can';
import { notFoundError } from '@/lib/errors';
import type { OrgContext } from '@/lib/server/org-context';
import { appendAudit } from './audit';

/** Settings columns of the organizations table, by the names a caller reads them under. */
type SettingColumns = Record<string, PgColumn>;

/** The values of `S` as read back. */
type SettingValues<S extends SettingColumns> = { [K in keyof S]: S[K]['_']['data'] };

/**
 * Changes some of the acting organization's settings in the caller's transaction: the row is
 * locked, read as `columns` name them (before), updated with `values`, read again (after), and
 * audited as `action` with before and after. Permission: `settings.manage` (owners and admins).
 * Tenant: ctx.org.
 */
export async function updateOrgSettings<S extends SettingColumns>(
  ctx: OrgContext,
  tx: Tx,
  action: string,
  columns: S,
  values: Partial<typeof organizations.$inferInsert>,
): Promise<SettingValues<S>> {
  assertCan(ctx, 'settings.manage');
  // Typed by the caller's column map (drizzle cannot infer through a generic map).
  const fields: SettingColumns = columns;
  const [before] = (await tx
    .select(fields)
    .from(organizations)
    .where(eq(organizations.id, ctx.org.id))
    .for('update')) as Record<string, unknown>[];
  if (!before) throw notFoundError();
  const [after] = (await tx
    .update(organizations)
    .set({ ...values, updatedAt: sql`now()` })
    .where(eq(organizations.id, ctx.org.id))
    .returning(fields)) as Record<string, unknown>[];
  if (!after) throw notFoundError();
  await appendAudit(tx, {
    orgId: ctx.org.id,
    actorUserId: ctx.actor.userId,
    action,
    entityType: 'organization',
    entityId: ctx.org.id,
    before,
    after,
  });
  return after as SettingValues<S>;
}
