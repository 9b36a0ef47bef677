import { eq, sql } from 'drizzle-orm';
import { withOrgRead, type Tx } from '@/db/client';
import { organizations } from '@/db/schema';
import { assertCan } from '@/lib/authz/can';
import type { ReminderSettings } from '@/lib/domain/reminders';
import { notFoundError } from '@/lib/errors';
import type { OrgContext } from '@/lib/server/org-context';
import type { UpdateReminderSettingsInput } from '@/lib/validation/notifications';
import { appendAudit } from '../audit';

/** The organization's check-in reminder days. Tenant: ctx.org. */
export async function getReminderSettings(ctx: OrgContext): Promise<ReminderSettings> {
  const [row] = await withOrgRead(ctx.org.id, (db) =>
    db
      .select({
        daysBefore: organizations.reminderDaysBefore,
        graceDays: organizations.reminderGraceDays,
      })
      .from(organizations)
      .where(eq(organizations.id, ctx.org.id)),
  );
  if (!row) throw notFoundError();
  return row;
}

/**
 * Sets the reminder days. Permission: `settings.manage` (owners and admins). Audited with
 * before/after.
 */
export async function updateReminderSettings(
  ctx: OrgContext,
  tx: Tx,
  input: UpdateReminderSettingsInput,
): Promise<ReminderSettings> {
  assertCan(ctx, 'settings.manage');
  const [before] = await tx
    .select({
      daysBefore: organizations.reminderDaysBefore,
      graceDays: organizations.reminderGraceDays,
    })
    .from(organizations)
    .where(eq(organizations.id, ctx.org.id))
    .for('update');
  if (!before) throw notFoundError();
  const [after] = await tx
    .update(organizations)
    .set({
      reminderDaysBefore: input.reminderDaysBefore,
      reminderGraceDays: input.reminderGraceDays,
      updatedAt: sql`now()`,
    })
    .where(eq(organizations.id, ctx.org.id))
    .returning({
      daysBefore: organizations.reminderDaysBefore,
      graceDays: organizations.reminderGraceDays,
    });
  if (!after) throw notFoundError();
  await appendAudit(tx, {
    orgId: ctx.org.id,
    actorUserId: ctx.actor.userId,
    action: 'settings.reminders',
    entityType: 'organization',
    entityId: ctx.org.id,
    before,
    after,
  });
  return after;
}
