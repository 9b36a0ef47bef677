'use client';

import { useState, type FormEvent } from 'react';
import { useSaved } from '@/components/layout/use-saved';
import { Button } from '@/components/ui/button';
import { Field } from '@/components/ui/field';
import { FormAlert } from '@/components/ui/form-alert';
import { resultFieldErrors, issueErrors } from '@/components/ui/form-errors';
import { updateReminderSettingsAction } from '@/lib/actions/notifications';
import { updateReminderSettingsSchema } from '@/lib/validation/notifications';

type Values = { reminderDaysBefore: number; reminderGraceDays: number };

/** Edits when check-in reminders go out (validated by the shared schema). */
export function ReminderSettingsForm({ orgSlug, initial }: { orgSlug: string; initial: Values }) {
  const afterSave = useSaved();
  const [values, setValues] = useState({
    reminderDaysBefore: String(initial.reminderDaysBefore),
    reminderGraceDays: String(initial.reminderGraceDays),
  });
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [alert, setAlert] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);
  const [saving, setSaving] = useState(false);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setSaved(false);
    setAlert(null);
    const toNumber = (v: string) => (v.trim() === '' ? Number.NaN : Number(v));
    const parsed = updateReminderSettingsSchema.safeParse({
      reminderDaysBefore: toNumber(values.reminderDaysBefore),
      reminderGraceDays: toNumber(values.reminderGraceDays),
    });
    if (!parsed.success) {
      setErrors(issueErrors(parsed.error));
      return;
    }
    setSaving(true);
    try {
      const result = await updateReminderSettingsAction(orgSlug, parsed.data);
      if (!result.ok) {
        setErrors(resultFieldErrors(result.error.fieldErrors));
        setAlert(result.error.message);
        return;
      }
      setErrors({});
      setSaved(true);
      void afterSave();
    } finally {
      setSaving(false);
    }
  }

  return (
    <form onSubmit={submit} noValidate className="space-y-4" aria-label="Check-in reminders">
      <FormAlert message={alert} />
      <div className="grid gap-4 sm:grid-cols-2">
        <Field
          label="Days before a period ends"
          type="number"
          min={1}
          max={27}
          inputMode="numeric"
          value={values.reminderDaysBefore}
          onChange={(e) => setValues((v) => ({ ...v, reminderDaysBefore: e.target.value }))}
          error={errors.reminderDaysBefore}
          hint="First reminder, this many days before the period's last day (default 3)."
        />
        <Field
          label="Grace days after a period"
          type="number"
          min={0}
          max={27}
          inputMode="numeric"
          value={values.reminderGraceDays}
          onChange={(e) => setValues((v) => ({ ...v, reminderGraceDays: e.target.value }))}
          error={errors.reminderGraceDays}
          hint="Values are due this many days after the period's last day; the second reminder goes then (default 2)."
        />
      </div>
      <div className="flex items-center justify-end gap-3">
        {saved ? (
          <p role="status" className="text-sm text-emerald-700">
            Saved.
          </p>
        ) : null}
        <Button type="submit" disabled={saving}>
          {saving ? 'Saving…' : 'Save reminders'}
        </Button>
      </div>
    </form>
  );
}
