'use server';
// Notification actions: mark my notifications read, set my e-mail preferences, and the admins'
// reminder settings. Each authenticates and authorizes itself through orgAction.
import { markMyNotificationsRead } from '@/lib/dal/notifications/inbox';
import { setMyEmailPreference } from '@/lib/dal/notifications/preferences';
import { updateReminderSettings } from '@/lib/dal/notifications/reminder-settings';
import { orgAction } from '@/lib/server/org-action';
import {
  markNotificationsReadSchema,
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
