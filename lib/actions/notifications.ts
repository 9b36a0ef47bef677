'use server';
// Notification actions: mark my notifications read, set my e-mail preferences, the admins'
// reminder settings, and "remind" (a nudge now). Each authenticates and authorizes itself
// through orgAction.
import { markMyNotificationsRead } from '@/lib/dal/notifications/inbox';
import { setMyEmailPreference } from '@/lib/dal/notifications/preferences';
import { updateReminderSettings } from '@/lib/dal/notifications/reminder-settings';
import { consumeRateLimit } from '@/lib/dal/rate-limit';
import { notifyConfigFromEnv } from '@/lib/notify/config';
import { NUDGES_PER_ACTOR, nudgeMessage, remindOwner } from '@/lib/notify/nudge';
import { orgAction } from '@/lib/server/org-action';
import {
  markNotificationsReadSchema,
  remindOwnerSchema,
  setEmailPreferenceSchema,
  updateReminderSettingsSchema,
} from '@/lib/validation/notifications';

export const markNotificationsReadAction = orgAction({
  permission: 'org.read',
  input: markNotificationsReadSchema,
  run: ({ ctx, input, tx }) => markMyNotificationsRead(ctx, tx, input),
});

export const setEmailPreferenceAction = orgAction({
  permission: 'org.read',
  input: setEmailPreferenceSchema,
  run: ({ ctx, input, tx }) => setMyEmailPreference(ctx, tx, input),
});

export const updateReminderSettingsAction = orgAction({
  permission: 'settings.manage',
  input: updateReminderSettingsSchema,
  run: ({ ctx, input, tx }) => updateReminderSettings(ctx, tx, input),
});

/** One nudge now to a KPI owner (a lead for their area, admins for all; see recordNudge). */
export const remindOwnerAction = orgAction({
  permission: 'checkins.remind',
  input: remindOwnerSchema,
  runOwnTransaction: async ({ ctx, input }) => {
    // First a cap per person sending nudges (each value once a day is recordNudge's rule).
    await consumeRateLimit('nudges-actor', `${ctx.org.id}:${ctx.actor.userId}`, NUDGES_PER_ACTOR);
    const outcome = await remindOwner(ctx, input, {
      now: new Date(),
      config: notifyConfigFromEnv(),
    });
    return {
      status: outcome.status,
      sent: outcome.status === 'sent' ? outcome.items.length : 0,
      message: nudgeMessage(outcome),
    };
  },
});
