'use client';

import { useState, type FormEvent } from 'react';
import { Button } from '@/components/ui/button';
import { FormAlert } from '@/components/ui/form-alert';
import { useActionForm } from '@/components/ui/use-action-form';
import { createReportScheduleAction } from '@/lib/actions/reports';
import { WEEKDAY_NAMES } from '@/lib/domain/digest';
import { createReportScheduleSchema } from '@/lib/validation/reports';

type Option = { key: string; label: string };

const selectClass =
  'mt-1 block w-full rounded-md border border-gray-300 px-3 py-2 text-sm shadow-sm focus:border-indigo-500 focus:outline-none focus:ring-1 focus:ring-indigo-500';

/** Schedules the period report of a scope to chosen members (validated by the shared schema). */
export function ReportScheduleForm({
  orgSlug,
  scopes,
  members,
}: {
  orgSlug: string;
  scopes: Option[];
  members: { userId: string; name: string; email: string }[];
}) {
  const [scope, setScope] = useState(scopes[0]?.key ?? 'company');
  const [frequency, setFrequency] = useState<'weekly' | 'monthly'>('weekly');
  const [weekday, setWeekday] = useState('1');
  const [dayOfMonth, setDayOfMonth] = useState('1');
  const [recipients, setRecipients] = useState<string[]>([]);
  const form = useActionForm({
    schema: createReportScheduleSchema,
    action: (input) => createReportScheduleAction(orgSlug, input),
    onSuccess: () => setRecipients([]),
  });
  const { errors, alert, saved, saving } = form;

  function submit(e: FormEvent) {
    e.preventDefault();
    void form.submit({
      scope,
      frequency,
      ...(frequency === 'weekly'
        ? { weekday: Number(weekday) }
        : { dayOfMonth: Number(dayOfMonth) }),
      recipientUserIds: recipients,
    });
  }

  return (
    <form onSubmit={submit} noValidate className="space-y-4" aria-label="Schedule a report">
      <FormAlert message={alert} />
      <div className="grid gap-4 sm:grid-cols-3">
        <div>
          <label htmlFor="schedule-scope" className="block text-sm font-medium text-gray-700">
            Report of
          </label>
          <select
            id="schedule-scope"
            className={selectClass}
            value={scope}
            onChange={(e) => setScope(e.target.value)}
          >
            {scopes.map((s) => (
              <option key={s.key} value={s.key}>
                {s.label}
              </option>
            ))}
          </select>
        </div>
        <div>
          <label htmlFor="schedule-frequency" className="block text-sm font-medium text-gray-700">
            How often
          </label>
          <select
            id="schedule-frequency"
            aria-describedby="schedule-frequency-hint"
            className={selectClass}
            value={frequency}
            onChange={(e) => setFrequency(e.target.value === 'monthly' ? 'monthly' : 'weekly')}
          >
            <option value="weekly">Weekly</option>
            <option value="monthly">Monthly</option>
          </select>
          <p id="schedule-frequency-hint" className="mt-1 text-xs text-gray-500">
            {frequency === 'weekly'
              ? 'Covers this month so far.'
              : 'Covers the last complete month.'}
          </p>
        </div>
        {frequency === 'weekly' ? (
          <div>
            <label htmlFor="schedule-weekday" className="block text-sm font-medium text-gray-700">
              On
            </label>
            <select
              id="schedule-weekday"
              className={selectClass}
              value={weekday}
              onChange={(e) => setWeekday(e.target.value)}
              aria-invalid={errors.weekday ? true : undefined}
            >
              {WEEKDAY_NAMES.map((name, i) => (
                <option key={name} value={String(i + 1)}>
                  {name}
                </option>
              ))}
            </select>
            {errors.weekday ? <p className="mt-1 text-sm text-red-600">{errors.weekday}</p> : null}
          </div>
        ) : (
          <div>
            <label htmlFor="schedule-day" className="block text-sm font-medium text-gray-700">
              On day
            </label>
            <select
              id="schedule-day"
              className={selectClass}
              value={dayOfMonth}
              onChange={(e) => setDayOfMonth(e.target.value)}
              aria-invalid={errors.dayOfMonth ? true : undefined}
            >
              {Array.from({ length: 28 }, (_, i) => String(i + 1)).map((d) => (
                <option key={d} value={d}>
                  {d}
                </option>
              ))}
            </select>
            {errors.dayOfMonth ? (
              <p className="mt-1 text-sm text-red-600">{errors.dayOfMonth}</p>
            ) : null}
          </div>
        )}
      </div>
      <fieldset aria-describedby={errors.recipientUserIds ? 'schedule-to-error' : undefined}>
        <legend className="text-sm font-medium text-gray-700">To</legend>
        <ul className="mt-1 grid max-h-56 gap-1 overflow-auto rounded-md border border-gray-200 p-2 sm:grid-cols-2">
          {members.map((m) => (
            <li key={m.userId}>
              <label className="flex items-start gap-2 text-sm">
                <input
                  type="checkbox"
                  className="mt-0.5"
                  checked={recipients.includes(m.userId)}
                  onChange={(e) =>
                    setRecipients((r) =>
                      e.target.checked ? [...r, m.userId] : r.filter((id) => id !== m.userId),
                    )
                  }
                />
                <span className="min-w-0 break-words">
                  {m.name} <span className="text-xs text-gray-500">{m.email}</span>
                </span>
              </label>
            </li>
          ))}
        </ul>
        {errors.recipientUserIds ? (
          <p id="schedule-to-error" className="mt-1 text-sm text-red-600">
            {errors.recipientUserIds}
          </p>
        ) : null}
      </fieldset>
      <div className="flex items-center gap-3">
        <Button type="submit" disabled={saving}>
          {saving ? 'Scheduling…' : 'Schedule report'}
        </Button>
        {saved ? (
          <p role="status" className="text-sm text-emerald-700">
            Scheduled.
          </p>
        ) : null}
      </div>
    </form>
  );
}
