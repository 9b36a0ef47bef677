'use client';

import { updateReminderSettingsAction } from '@/lib/actions/notifications';
import { updateReminderSettingsSchema } from '@/lib/validation/notifications';
import { NumberSettingsForm } from './number-settings-form';

type Values = { reminderDaysBefore: number; reminderGraceDays: number };

/** Edits when check-in reminders go out (validated by the shared schema). */
export function ReminderSettingsForm({ orgSlug, initial }: { orgSlug: string; initial: Values }) {
  return (
    <NumberSettingsForm
      orgSlug={orgSlug}
      initial={initial}
      schema={updateReminderSettingsSchema}
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
      ]}
    />
  );
}
