'use client';

import { useState, type FormEvent } from 'react';
import { useSaved } from '@/components/layout/use-saved';
import { Button } from '@/components/ui/button';
import { Field } from '@/components/ui/field';
import { FormAlert } from '@/components/ui/form-alert';
import { updateReminderSettingsAction } from '@/lib/actions/notifications';
import { updateReminderSettingsSchema } from '@/lib/validation/notifications';

type Values = {
  reminderDaysBefore: number;
  reminderGraceDays: number;
  escalationDelayDays: number;
};

/** Edits when check-in reminders go out (validated by the shared schema). */
export function ReminderSettingsForm({ orgSlug, initial }: { orgSlug: string; initial: Values }) {
  const afterSave = useSaved();
  const [values, setValues] = useState({
    reminderDaysBefore: String(initial.reminderDaysBefore),
    reminderGraceDays: String(initial.reminderGraceDays),
    escalationDelayDays: String(initial.escalationDelayDays),
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
      escalationDelayDays: toNumber(values.escalationDelayDays),
    });
    if (!parsed.success) {
      const out: Record<string, string> = {};
      for (const issue of parsed.error.issues) out[String(issue.path[0])] ??= issue.message;
      setErrors(out);
      return;
    }
    setSaving(true);
    try {
      const result = await updateReminderSettingsAction(orgSlug, parsed.data);
      if (!result.ok) {
        const out: Record<string, string> = {};
        for (const [k, v] of Object.entries(result.error.fieldErrors ?? {}))
          if (v[0]) out[k] = v[0];
        setErrors(out);
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
      <div className="grid gap-4 sm:grid-cols-3">
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
        <Field
          label="Days before escalating"
          type="number"
          min={1}
          max={30}
          inputMode="numeric"
          value={values.escalationDelayDays}
          onChange={(e) => setValues((v) => ({ ...v, escalationDelayDays: e.target.value }))}
          error={errors.escalationDelayDays}
          hint="Still missing this many days after the due date: to the owner's unit lead, then one lead up per further delay (default 3)."
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
