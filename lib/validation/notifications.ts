import { z } from 'zod';
import { NOTIFICATION_KINDS } from '@/lib/notify/kinds';

const uuid = z.uuid({ error: 'Unknown notification' });

/** Mark some of my notifications read (`ids`), or all of them (`all: true`). */
export const markNotificationsReadSchema = z.union([
  z.object({ all: z.literal(true) }).strict(),
  z.object({ all: z.literal(false).optional(), ids: z.array(uuid).min(1).max(200) }).strict(),
]);
export type MarkNotificationsReadInput = { all: true } | { all?: false | undefined; ids: string[] };

/** E-mail on or off for one kind of notification (my own preference). */
export const setEmailPreferenceSchema = z
  .object({
    kind: z.enum(NOTIFICATION_KINDS, { error: 'Unknown kind of notification' }),
    email: z.boolean(),
  })
  .strict();
export type SetEmailPreferenceInput = z.output<typeof setEmailPreferenceSchema>;

const days = (label: string, min: number, max = 27) =>
  z
    .number({ error: `${label} must be a whole number` })
    .int(`${label} must be a whole number`)
    .min(min, `${label} must be at least ${min}`)
    .max(max, `${label} must be at most ${max}`);

/**
 * The organization's check-in reminder days and escalation delay (admins). The delay may be left
 * out (unchanged).
 */
export const updateReminderSettingsSchema = z
  .object({
    reminderDaysBefore: days('Days before the period ends', 1),
    reminderGraceDays: days('Grace days after the period', 0),
    escalationDelayDays: days('Days before escalating', 1, 30).optional(),
  })
  .strict();
export type UpdateReminderSettingsInput = z.output<typeof updateReminderSettingsSchema>;

const isoDate = z.iso.date({ error: 'Pick a date (YYYY-MM-DD)' });

/**
 * A nudge now ("remind"): one person, about their KPIs without a value either for the periods
 * that contain `on` (each KPI in its own cadence: a dashboard's list) or for exactly the given
 * (KPI, period) `items` (the missing-values list). One of the two.
 */
export const remindOwnerSchema = z
  .object({
    ownerUserId: z.uuid({ error: 'Unknown person' }),
    on: isoDate.optional(),
    items: z
      .array(z.object({ kpiId: z.uuid({ error: 'Unknown KPI' }), periodStart: isoDate }).strict())
      .min(1)
      .max(100)
      .optional(),
  })
  .strict()
  .refine((v) => (v.on === undefined) !== (v.items === undefined), {
    error: 'Give either a day or the KPIs and periods to remind about.',
    path: ['on'],
  });
export type RemindOwnerInput = z.output<typeof remindOwnerSchema>;
