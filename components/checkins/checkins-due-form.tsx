'use client';

import { useRouter } from 'next/navigation';
import { useEffect, useState, useTransition, type FormEvent } from 'react';
import { useSaved } from '@/components/layout/use-saved';
import { useOrgLocale } from '@/components/locale/org-locale';
import { saveCheckinsAction } from '@/lib/actions/checkins';
import type { CheckinRowDto } from '@/lib/domain/dashboard/my-dashboard';
import { formatDay } from '@/lib/domain/dates';
import { formatValue } from '@/lib/domain/format';
import { toLocaleInput } from '@/lib/domain/locale-number';
import { useCheckinDrafts } from './checkin-drafts';
import {
  adds,
  pendingCheckins,
  placeholderOf,
  planRow,
  rowErrorsOf,
  rowHint,
  unitSuffix,
  withPending,
  type Draft,
} from './checkin-rows';
import { UnusualConfirm, unusualQuestions } from './unusual-confirm';

/**
 * The save's outcome: all rows saved, or none and an error per refused row (by KPI id); `unusual`
 * when the only refusals are values to confirm (their questions, by KPI id).
 */
type Outcome =
  | { ok: true }
  | {
      ok: false;
      message: string;
      rowErrors: Record<string, string>;
      unusual?: Map<string, string>;
    };

/** A tab left for longer than this renders the page again when it comes back. */
const STALE_AFTER_MS = 60_000;

/** Sends every drafted row, dated as the screen says, in one action (one transaction). */
async function send(
  orgSlug: string,
  drafts: readonly Draft[],
  today: string,
  locale: string,
): Promise<Outcome> {
  const items = drafts.map((draft) => {
    const confirm = draft.confirmUnusual ? { confirmUnusual: true as const } : {};
    const value = toLocaleInput(draft.value, locale);
    return draft.kind === 'update' && draft.reading
      ? {
          kind: 'update' as const,
          checkinId: draft.reading.id,
          version: draft.reading.version,
          observedOn: today,
          value,
          ...confirm,
        }
      : { kind: 'record' as const, kpiId: draft.kpiId, observedOn: today, value, ...confirm };
  });
  const result = await saveCheckinsAction(orgSlug, { items });
  if (result.ok) return { ok: true };
  const asked = unusualQuestions(result.error.fieldErrors);
  return {
    ok: false,
    message: result.error.message,
    rowErrors: rowErrorsOf(result.error.fieldErrors, drafts),
    ...(asked ? { unusual: new Map([...asked].map(([i, q]) => [drafts[i]?.kpiId ?? '', q])) } : {}),
  };
}

/**
 * Renders the page again when the tab comes back after a while, so the values shown stay current
 * (the rows are server-rendered; a save's response already carries the new render).
 */
function useFreshOnReturn(): void {
  const router = useRouter();
  useEffect(() => {
    let hiddenAt = 0;
    const onChange = () => {
      if (document.visibilityState === 'hidden') hiddenAt = Date.now();
      else if (hiddenAt && Date.now() - hiddenAt > STALE_AFTER_MS) router.refresh();
    };
    document.addEventListener('visibilitychange', onChange);
    return () => document.removeEventListener('visibilitychange', onChange);
  }, [router]);
}

/**
 * Every check-in due on one screen: each row shows its last reading as a hint and saves a new
 * reading dated `today` (a level's reading of that same date is corrected), all in one action and
 * one transaction. While the save is on its way the rows, and the targets above them, show their
 * new values (checkin-drafts.tsx); the response carries the page's new render (projections
 * included). When any row is refused nothing is saved: the optimistic values fall back, each
 * refused row shows its error next to its field and every typed value stays.
 */
export function CheckinsDueForm({
  orgSlug,
  today,
  rows,
}: {
  orgSlug: string;
  today: string;
  rows: CheckinRowDto[];
}) {
  const locale = useOrgLocale();
  const afterSave = useSaved();
  const { pending, show } = useCheckinDrafts();
  const [saving, startSaving] = useTransition();
  const [edits, setEdits] = useState<Record<string, string>>({});
  const [message, setMessage] = useState<{ tone: 'ok' | 'error'; text: string } | null>(null);
  const [rowErrors, setRowErrors] = useState<Record<string, string>>({});
  // Values far from their recent readings, awaiting the person's confirmation (nothing saved yet).
  const [confirming, setConfirming] = useState<{
    drafts: Draft[];
    questions: Map<string, string>;
  } | null>(null);
  useFreshOnReturn();

  const shown = rows.map((row) => withPending(row, pending.get(row.kpiId)));
  const textOf = (row: CheckinRowDto) => edits[row.kpiId] ?? '';
  const plans = shown.map((row) => ({ row, plan: planRow(row, textOf(row), today, locale) }));
  const toSave = plans.filter((p) => p.plan.kind !== 'skip');
  const invalid = plans.filter((p) => p.plan.error);
  // Rows the person touched, valid or not: the button counts them so a typo is reported, not ignored.
  const pendingCount = toSave.length + invalid.length;

  function save(drafts: Draft[]) {
    setMessage(null);
    setConfirming(null);
    setRowErrors({});
    startSaving(async () => {
      show(pendingCheckins(rows, drafts, today, locale));
      const outcome = await send(orgSlug, drafts, today, locale).catch(() => null);
      // Committed with the page's new render (or, refused, with the values as they were).
      startSaving(() => settle(drafts, outcome));
      await afterSave();
    });
  }

  function settle(drafts: Draft[], outcome: Outcome | null) {
    if (!outcome) {
      setMessage({
        tone: 'error',
        text: 'Your check-ins could not be saved. Check your connection and try again.',
      });
      return;
    }
    if (!outcome.ok) {
      // Nothing was saved: every optimistic value falls back, every typed value stays.
      if (outcome.unusual) {
        setConfirming({ drafts, questions: outcome.unusual });
        return;
      }
      const bad = Object.keys(outcome.rowErrors).length;
      setRowErrors(outcome.rowErrors);
      setMessage({
        tone: 'error',
        text:
          bad > 0
            ? `${bad} could not be saved, so nothing was saved. Fix the highlighted ${bad === 1 ? 'row' : 'rows'} and save again.`
            : outcome.message,
      });
      return;
    }
    setEdits((prev) => {
      const next = { ...prev };
      for (const d of drafts) delete next[d.kpiId];
      return next;
    });
    setMessage({
      tone: 'ok',
      text: `Saved ${drafts.length} check-in${drafts.length === 1 ? '' : 's'} dated ${formatDay(today, locale)}.`,
    });
  }

  function submit(e: FormEvent) {
    e.preventDefault();
    if (invalid.length > 0) {
      setRowErrors(Object.fromEntries(invalid.map((p) => [p.row.kpiId, p.plan.error ?? ''])));
      setMessage({
        tone: 'error',
        text: 'Some values are not numbers we can save. Fix the highlighted rows.',
      });
      return;
    }
    save(
      toSave.map((p) => ({
        kpiId: p.row.kpiId,
        value: p.plan.value!,
        kind: p.plan.kind === 'update' ? 'update' : 'record',
        reading: p.plan.reading,
      })),
    );
  }

  return (
    <form onSubmit={submit} noValidate aria-label="Check-ins due">
      <ul className="divide-y divide-gray-100">
        {plans.map(({ row, plan }) => {
          const error = rowErrors[row.kpiId];
          const inputId = `checkin-${row.kpiId}`;
          return (
            <li
              key={row.kpiId}
              className="grid gap-2 px-4 py-3 sm:grid-cols-[1fr_12rem] sm:items-start"
              data-testid="checkin-row"
            >
              <div className="min-w-0">
                <label htmlFor={inputId} className="block text-sm font-medium text-gray-900">
                  {row.name}
                </label>
                <p className="text-xs text-gray-500">
                  {row.periodLabel} so far:{' '}
                  <span className="tabular-nums text-gray-700">
                    {formatValue(row.periodValue, row.measure, locale)}
                  </span>
                  {row.target !== null ? (
                    <>
                      {' '}
                      of{' '}
                      <span className="tabular-nums">
                        {formatValue(row.target, row.measure, locale)}
                      </span>
                    </>
                  ) : null}
                </p>
                <p className="text-xs text-gray-500" id={`${inputId}-hint`}>
                  {rowHint(row, plan.kind, today, locale)}
                </p>
              </div>
              <div>
                <div className="flex items-center gap-2">
                  {adds(row) ? (
                    <span className="w-3 shrink-0 text-sm text-gray-500" aria-hidden>
                      +
                    </span>
                  ) : null}
                  <input
                    id={inputId}
                    inputMode="decimal"
                    autoComplete="off"
                    value={textOf(row)}
                    placeholder={placeholderOf(row, today, locale)}
                    onChange={(e) => {
                      setEdits((prev) => ({ ...prev, [row.kpiId]: e.target.value }));
                      setConfirming(null);
                    }}
                    aria-invalid={error ? true : undefined}
                    aria-describedby={`${inputId}-hint${error ? ` ${inputId}-error` : ''}`}
                    className={`block w-full rounded-md border px-3 py-1.5 text-right text-sm tabular-nums shadow-sm focus:border-indigo-500 focus:outline-none focus:ring-2 focus:ring-indigo-500 ${
                      error ? 'border-red-400' : 'border-gray-300'
                    }`}
                  />
                  <span className="w-10 shrink-0 text-xs text-gray-500">{unitSuffix(row)}</span>
                </div>
                {error ? (
                  <p id={`${inputId}-error`} className="mt-1 text-xs text-red-600">
                    {error}
                  </p>
                ) : null}
              </div>
            </li>
          );
        })}
      </ul>
      {confirming ? (
        <div className="border-t border-gray-200 px-4 py-3">
          <UnusualConfirm
            questions={rows
              .filter((r) => confirming.questions.has(r.kpiId))
              .map((r) => `${r.name}: ${confirming.questions.get(r.kpiId)}`)}
            pending={saving}
            onConfirm={() =>
              save(
                confirming.drafts.map((d) =>
                  confirming.questions.has(d.kpiId) ? { ...d, confirmUnusual: true as const } : d,
                ),
              )
            }
            onCancel={() => setConfirming(null)}
          />
        </div>
      ) : null}
      <div className="flex flex-wrap items-center justify-between gap-3 border-t border-gray-200 px-4 py-3">
        <div aria-live="polite" className="min-h-5 text-sm">
          {message ? (
            <span
              role={message.tone === 'error' ? 'alert' : 'status'}
              data-testid="checkin-message"
              className={message.tone === 'ok' ? 'text-emerald-700' : 'text-red-700'}
            >
              {message.text}
            </span>
          ) : null}
        </div>
        <button
          type="submit"
          disabled={saving || pendingCount === 0}
          className="inline-flex items-center justify-center rounded-md bg-indigo-600 px-4 py-2 text-sm font-medium text-white shadow-sm hover:bg-indigo-700 focus-visible:outline focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600 disabled:cursor-not-allowed disabled:bg-indigo-300"
        >
          {saving
            ? 'Saving…'
            : pendingCount === 0
              ? 'Nothing to save'
              : `Save ${pendingCount} check-in${pendingCount === 1 ? '' : 's'}`}
        </button>
      </div>
    </form>
  );
}
