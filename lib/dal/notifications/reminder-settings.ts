import { eq } from 'drizzle-orm';
import { withOrgRead, type Tx } from '@/db/client';
import { organizations } from '@/db/schema';
import type { ReminderSettings } from '@/lib/domain/reminders';
import { notFoundError } from '@/lib/errors';
import type { OrgContext } from '@/lib/server/org-context';
import type { UpdateReminderSettingsInput } from '@/lib/validation/notifications';
import { updateOrgSettings } from '../org-settings';

/** The reminder days and the escalation delay, as the settings form shows them. */
export type ReminderAndEscalationSettings = ReminderSettings & { escalationDelayDays: number };

/** The organization's check-in reminder days and escalation delay. Tenant: ctx.org. */
export async function getReminderSettings(ctx: OrgContext): Promise<ReminderAndEscalationSettings> {
  const [row] = await withOrgRead(ctx.org.id, (db) =>
    db
      .select({
        daysBefore: organizations.reminderDaysBefore,
        graceDays: organizations.reminderGraceDays,
        escalationDelayDays: organizations.escalationDelayDays,
      })
      .from(organizations)
      .where(eq(organizations.id, ctx.org.id)),
  );
  if (!row) throw notFoundError();
  return row;
}

/**
 * Sets the reminder days and (when given) the escalation delay. Permission: `settings.manage` (owners and admins). Audited with
 * before/after.
 */
export async function updateReminderSettings(
  ctx: OrgContext,
  tx: Tx,
  input: UpdateReminderSettingsInput,
): Promise<ReminderAndEscalationSettings> {
  return updateOrgSettings(
    ctx,
    tx,
    'settings.reminders',
    {
      daysBefore: organizations.reminderDaysBefore,
      graceDays: organizations.reminderGraceDays,
      escalationDelayDays: organizations.escalationDelayDays,
    },
    {
      reminderDaysBefore: input.reminderDaysBefore,
      reminderGraceDays: input.reminderGraceDays,
      ...(input.escalationDelayDays === undefined
        ? {}
        : { escalationDelayDays: input.escalationDelayDays }),
    },
  );
}
