'use client';

import { useState, type FormEvent } from 'react';
import { MemberPicker, type MemberChoice } from '@/components/people/member-picker';
import { Button } from '@/components/ui/button';
import { FormAlert } from '@/components/ui/form-alert';
import { useActionForm } from '@/components/ui/use-action-form';
import { createReportScheduleAction } from '@/lib/actions/reports';
import { WEEKDAY_NAMES } from '@/lib/domain/digest';
import { createReportScheduleSchema } from '@/lib/validation/reports';

type Option = { key: string; label: string };

const selectClass =
  'mt-1 block w-full rounded-md border border-gray-300 px-3 py-2 text-sm shadow-sm focus:border-indigo-500 focus:outline-none focus:ring-1 focus:ring-indigo-500';

/**
 * Schedules the period report of a scope to chosen members (validated by the shared schema). The
 * recipients are searched by name or email as one types (a large organization has thousands of
 * members) and gathered in a list, each removable.
 */
export function ReportScheduleForm({ orgSlug, scopes }: { orgSlug: string; scopes: Option[] }) {
  const [scope, setScope] = useState(scopes[0]?.key ?? 'company');
  const [frequency, setFrequency] = useState<'weekly' | 'monthly'>('weekly');
  const [weekday, setWeekday] = useState('1');
  const [dayOfMonth, setDayOfMonth] = useState('1');
  const [recipients, setRecipients] = useState<MemberChoice[]>([]);
  // The recipients as last submitted: their error is about that list, not one changed since.
  const [submitted, setSubmitted] = useState<MemberChoice[] | null>(null);
  const form = useActionForm({
    schema: createReportScheduleSchema,
    action: (input) => createReportScheduleAction(orgSlug, input),
    onSuccess: () => setRecipients([]),
  });
  const { errors, alert, saved, saving } = form;

  function submit(e: FormEvent) {
    e.preventDefault();
    setSubmitted(recipients);
    void form.submit({
      scope,
      frequency,
      ...(frequency === 'weekly'
        ? { weekday: Number(weekday) }
        : { dayOfMonth: Number(dayOfMonth) }),
      recipientUserIds: recipients.map((r) => r.userId),
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
      <div>
        <MemberPicker
          orgSlug={orgSlug}
          id="schedule-to"
          label="To"
          placeholder="Type a member's name or email"
          hint="Each member picked is added to the recipients."
          error={submitted === recipients ? errors.recipientUserIds : undefined}
          selectedLabel=""
          onPick={(m) => {
            if (m && !recipients.some((r) => r.userId === m.userId))
              setRecipients([...recipients, m]);
          }}
        />
        {recipients.length === 0 ? (
          <p className="mt-2 text-sm text-gray-500">No recipient yet.</p>
        ) : (
          <ul aria-label="Recipients" className="mt-2 flex flex-wrap gap-2">
            {recipients.map((r) => (
              <li
                key={r.userId}
                className="flex min-w-0 max-w-full items-center gap-1 rounded-full border border-indigo-200 bg-indigo-50 py-1 pl-3 pr-1 text-sm text-indigo-950"
              >
                <span className="min-w-0 break-words">
                  {r.name} <span className="text-xs text-indigo-800">{r.email}</span>
                </span>
                <button
                  type="button"
                  aria-label={`Remove ${r.name}`}
                  onClick={() => setRecipients(recipients.filter((x) => x.userId !== r.userId))}
                  className="rounded-full px-2 text-indigo-800 hover:bg-indigo-100 focus:outline-none focus:ring-2 focus:ring-indigo-500"
                >
                  ×
                </button>
              </li>
            ))}
          </ul>
        )}
      </div>
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
