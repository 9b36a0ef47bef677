'use client';

import { updateReminderSettingsAction } from '@/lib/actions/notifications';
import { updateReminderSettingsSchema } from '@/lib/validation/notifications';
import { NumberSettingsForm } from './number-settings-form';

type Values = {
  reminderDaysBefore: number;
  reminderGraceDays: number;
  escalationDelayDays: number;
};

/** Edits when check-in reminders go out (validated by the shared schema). */
export function ReminderSettingsForm({ orgSlug, initial }: { orgSlug: string; initial: Values }) {
  return (
    <NumberSettingsForm
      orgSlug={orgSlug}
      initial={initial}
      // The form always sends the delay; the action also accepts saves without it.
      schema={updateReminderSettingsSchema.required()}
      action={updateReminderSettingsAction}
      ariaLabel="Check-in reminders"
      submitLabel="Save reminders"
      fields={[
        {
          name: 'reminderDaysBefore',
          label: 'Days before a period ends',
          min: 1,
          max: 27,
          hint: "First reminder, this many days before the period's last day (default 3).",
        },
        {
          name: 'reminderGraceDays',
          label: 'Grace days after a period',
          min: 0,
          max: 27,
          hint: "Values are due this many days after the period's last day; the second reminder goes then (default 2).",
        },
        {
          name: 'escalationDelayDays',
          label: 'Days before escalating',
          min: 1,
          max: 30,
          hint: "Still missing this many days after the due date: to the owner's unit lead, then one lead up per further delay (default 3).",
        },
      ]}
    />
  );
}
