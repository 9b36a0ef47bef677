'use client';

import { useState, useTransition } from 'react';
import { useSaved } from '@/components/layout/use-saved';
import { Button } from '@/components/ui/button';
import { FormAlert } from '@/components/ui/form-alert';
import { MemberPicker, type MemberChoice } from '@/components/people/member-picker';
import { saveKpiCommentaryAction } from '@/lib/actions/reports';
import type { CommentaryDto } from '@/lib/dal/commentaries';

const inputClass =
  'mt-1 block w-full rounded-md border border-gray-300 px-3 py-2 text-sm shadow-sm focus:border-indigo-500 focus:outline-none focus:ring-1 focus:ring-indigo-500';

/**
 * Commentary on a KPI: the form for whoever may record its values (each save is a new revision)
 * and the history of what was said, newest first. The member a next action is given to is
 * searched as one types (the owner picker is disabled until a next action is typed).
 */
export function CommentaryPanel({
  orgSlug,
  kpiId,
  revisions,
  periods,
  canWrite,
  today,
}: {
  orgSlug: string;
  kpiId: string;
  revisions: CommentaryDto[];
  periods: { start: string; label: string }[];
  canWrite: boolean;
  today: string;
}) {
  const afterSave = useSaved();
  // Reports lead with the last complete period (what a review discusses): comment on it first;
  // the open period (periods[0]) stays one pick away.
  const [periodStart, setPeriodStart] = useState(periods[1]?.start ?? periods[0]?.start ?? '');
  const latest = revisions.find((r) => r.periodStart === periodStart);
  const [analysis, setAnalysis] = useState(latest?.analysis ?? '');
  const [nextAction, setNextAction] = useState(latest?.nextAction ?? '');
  const [owner, setOwner] = useState<MemberChoice | null>(null);
  const [due, setDue] = useState(latest?.actionDueOn ?? '');
  const [error, setError] = useState<string | null>(null);
  const [fieldErrors, setFieldErrors] = useState<Record<string, string[]>>({});
  const [saved, setSaved] = useState(false);
  const [pending, startTransition] = useTransition();

  function pickPeriod(start: string) {
    setPeriodStart(start);
    const prior = revisions.find((r) => r.periodStart === start);
    setAnalysis(prior?.analysis ?? '');
    setNextAction(prior?.nextAction ?? '');
    setDue(prior?.actionDueOn ?? '');
    setOwner(null);
  }

  function submit(e: React.FormEvent) {
    e.preventDefault();
    startTransition(async () => {
      setError(null);
      setSaved(false);
      const result = await saveKpiCommentaryAction(orgSlug, {
        kpiId,
        periodStart,
        analysis,
        nextAction,
        actionOwnerUserId: nextAction ? (owner?.userId ?? null) : null,
        actionDueOn: nextAction ? due || null : null,
      });
      if (!result.ok) {
        setError(result.error.message);
        setFieldErrors(result.error.fieldErrors ?? {});
        return;
      }
      setFieldErrors({});
      setSaved(true);
      void afterSave();
    });
  }

  const fieldError = (key: string) =>
    fieldErrors[key]?.[0] ? (
      <p className="mt-1 text-xs text-red-600" id={`commentary-${key}-error`}>
        {fieldErrors[key]![0]}
      </p>
    ) : null;

  return (
    <section
      aria-labelledby="commentary-heading"
      className="rounded-xl border border-gray-200 bg-white shadow-sm"
    >
      <div className="border-b border-gray-200 px-4 py-3">
        <h2 id="commentary-heading" className="font-semibold">
          Commentary
        </h2>
        <p className="mt-0.5 text-xs text-gray-500">
          Why the number is where it is, and what happens next. Shown in reports; every save is
          kept.
        </p>
      </div>
      {canWrite ? (
        <form onSubmit={submit} className="space-y-3 border-b border-gray-200 p-4" noValidate>
          <div className="grid gap-3 sm:grid-cols-3">
            <label className="text-sm font-medium text-gray-700">
              Period
              <select
                value={periodStart}
                onChange={(e) => pickPeriod(e.target.value)}
                className={inputClass}
              >
                {periods.map((p) => (
                  <option key={p.start} value={p.start}>
                    {p.label}
                  </option>
                ))}
              </select>
            </label>
          </div>
          <label className="block text-sm font-medium text-gray-700">
            Analysis
            <textarea
              name="analysis"
              value={analysis}
              onChange={(e) => setAnalysis(e.target.value)}
              rows={3}
              maxLength={2000}
              required
              aria-invalid={!!fieldErrors.analysis}
              className={inputClass}
              placeholder="Two enterprise deals slipped into next month; the pipeline is intact."
            />
            {fieldError('analysis')}
          </label>
          <div className="grid gap-3 sm:grid-cols-3">
            <label className="text-sm font-medium text-gray-700 sm:col-span-3">
              Next action <span className="font-normal text-gray-500">(optional)</span>
              <input
                name="nextAction"
                value={nextAction}
                onChange={(e) => setNextAction(e.target.value)}
                maxLength={500}
                className={inputClass}
                placeholder="Close the Globex renewal"
              />
              {fieldError('nextAction')}
            </label>
            <MemberPicker
              orgSlug={orgSlug}
              label="Action owner"
              placeholder="Type a member's name"
              disabled={!nextAction}
              selectedLabel={owner?.name ?? ''}
              onPick={setOwner}
              clearLabel="Nobody yet"
              error={fieldErrors.actionOwnerUserId?.[0]}
            />
            <label className="text-sm font-medium text-gray-700">
              Due
              <input
                type="date"
                name="actionDueOn"
                value={due}
                min={today}
                onChange={(e) => setDue(e.target.value)}
                disabled={!nextAction}
                aria-invalid={!!fieldErrors.actionDueOn}
                className={inputClass}
              />
              {fieldError('actionDueOn')}
            </label>
            <div className="flex items-end">
              <Button type="submit" disabled={pending} className="w-full sm:w-auto">
                {pending ? 'Saving…' : 'Save commentary'}
              </Button>
            </div>
          </div>
          <FormAlert message={error} />
          <p aria-live="polite" className="text-xs text-emerald-700">
            {saved ? 'Commentary saved.' : ''}
          </p>
        </form>
      ) : null}
      {revisions.length === 0 ? (
        <p className="p-4 text-sm text-gray-600">No commentary yet.</p>
      ) : (
        <ol className="divide-y divide-gray-100" aria-label="Commentary history">
          {revisions.map((c) => (
            <li key={c.id} className="px-4 py-3 text-sm">
              <p className="text-xs text-gray-500">
                <span className="font-medium text-gray-700">{c.periodLabel}</span> ·{' '}
                {c.authorName ?? 'Someone'} · {c.createdAt.slice(0, 16).replace('T', ' ')} UTC
                {c.revision > 1 ? ` · revision ${c.revision}` : ''}
              </p>
              <p className="mt-1 whitespace-pre-line text-gray-900">{c.analysis}</p>
              {c.nextAction ? (
                <p className="mt-1 text-gray-700">
                  <span className="font-medium">Next:</span> {c.nextAction}
                  {c.actionOwnerName ? ` · ${c.actionOwnerName}` : ''}
                  {c.actionDueOn ? ` · due ${c.actionDueOn}` : ''}
                </p>
              ) : null}
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
