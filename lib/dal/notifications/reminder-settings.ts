import { eq } from 'drizzle-orm';
import { withOrgRead, type Tx } from '@/db/client';
import { organizations } from '@/db/schema';
import type { ReminderSettings } from '@/lib/domain/reminders';
import { notFoundError } from '@/lib/errors';
import type { OrgContext } from '@/lib/server/org-context';
import type { UpdateReminderSettingsInput } from '@/lib/validation/notifications';
import { updateOrgSettings } from '../org-settings';

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
  return updateOrgSettings(
    ctx,
    tx,
    'settings.reminders',
    { daysBefore: organizations.reminderDaysBefore, graceDays: organizations.reminderGraceDays },
    { reminderDaysBefore: input.reminderDaysBefore, reminderGraceDays: input.reminderGraceDays },
  );
}
