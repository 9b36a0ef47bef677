'use client';

import { useRouter } from 'next/navigation';
import { useState, useTransition, type FormEvent } from 'react';
import { Button } from '@/components/ui/button';
import { clearTargetAction, setTargetAction } from '@/lib/actions/kpis';
import { parseDecimalInput } from '@/lib/domain/decimal';

export type TargetPeriod = {
  start: string;
  label: string;
  override: string | null;
  isCurrent: boolean;
};

/**
 * The target of each period: an override, or (left empty) the KPI's default target. Saves every
 * changed row in one go and shows per-row errors.
 */
export function TargetEditor({
  orgSlug,
  kpiId,
  periods,
  defaultTarget,
  unitSuffix,
  windowStart,
}: {
  orgSlug: string;
  kpiId: string;
  periods: TargetPeriod[];
  /** Periods before this start are folded away (older overrides). */
  windowStart: string;
  defaultTarget: string | null;
  unitSuffix: string;
}) {
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  const [drafts, setDrafts] = useState<Record<string, string>>({});
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [message, setMessage] = useState<{ tone: 'ok' | 'error'; text: string } | null>(null);
  const [showEarlier, setShowEarlier] = useState(false);
  const textOf = (p: TargetPeriod) => drafts[p.start] ?? p.override ?? '';
  const changed = periods.filter((p) => textOf(p).trim() !== (p.override ?? ''));

  function submit(e: FormEvent) {
    e.preventDefault();
    const nextErrors: Record<string, string> = {};
    const work: { start: string; target: string | null }[] = [];
    for (const p of changed) {
      const text = textOf(p).trim();
      if (text === '') {
        work.push({ start: p.start, target: null });
        continue;
      }
      const parsed = parseDecimalInput(text);
      if (!parsed.ok) nextErrors[p.start] = parsed.error;
      else if (parsed.value !== p.override) work.push({ start: p.start, target: parsed.value });
    }
    setErrors(nextErrors);
    if (Object.keys(nextErrors).length > 0) {
      setMessage({ tone: 'error', text: 'Fix the highlighted targets.' });
      return;
    }
    startTransition(async () => {
      const failed: Record<string, string> = {};
      for (const item of work) {
        const result =
          item.target === null
            ? await clearTargetAction(orgSlug, { kpiId, periodStart: item.start })
            : await setTargetAction(orgSlug, {
                kpiId,
                periodStart: item.start,
                target: item.target,
              });
        if (!result.ok)
          failed[item.start] =
            result.error.fieldErrors?.target?.[0] ??
            result.error.fieldErrors?.periodStart?.[0] ??
            result.error.message;
      }
      setErrors(failed);
      const saved = work.length - Object.keys(failed).length;
      setDrafts((prev) =>
        Object.fromEntries(Object.entries(prev).filter(([start]) => failed[start] !== undefined)),
      );
      setMessage(
        Object.keys(failed).length === 0
          ? { tone: 'ok', text: `Saved ${saved} target${saved === 1 ? '' : 's'}.` }
          : { tone: 'error', text: `${saved} saved, ${Object.keys(failed).length} refused.` },
      );
      router.refresh();
    });
  }

  const shown = showEarlier ? periods : periods.filter((p) => p.start >= windowStart);
  const hidden = periods.length - shown.length;
  return (
    <form onSubmit={submit} noValidate aria-label="Targets by period">
      <ul
        className="grid grid-cols-2 gap-2 p-3 sm:grid-cols-3 sm:gap-3 sm:p-4 lg:grid-cols-4"
        aria-label="Target per period"
      >
        {shown.map((p) => {
          const id = `target-${p.start}`;
          const error = errors[p.start];
          return (
            <li
              key={p.start}
              className={`rounded-lg border px-2 py-2 sm:px-3 ${p.isCurrent ? 'border-indigo-200 bg-indigo-50/60' : 'border-gray-200'}`}
            >
              <label htmlFor={id} className="block text-xs font-medium text-gray-700">
                {p.label}
                {p.isCurrent ? <span className="ml-1 text-indigo-700">(current)</span> : null}
              </label>
              <input
                id={id}
                inputMode="decimal"
                value={textOf(p)}
                placeholder={defaultTarget === null ? 'No target' : `${defaultTarget} (default)`}
                onChange={(e) => setDrafts((prev) => ({ ...prev, [p.start]: e.target.value }))}
                aria-invalid={error ? true : undefined}
                aria-describedby={error ? `${id}-error` : undefined}
                className={`mt-1 block w-full rounded-md border bg-white px-2 py-1 text-right text-sm tabular-nums placeholder:text-xs sm:placeholder:text-sm focus:border-indigo-500 focus:outline-none focus:ring-1 focus:ring-indigo-500 ${
                  error ? 'border-red-400' : 'border-gray-300'
                }`}
              />
              {error ? (
                <p id={`${id}-error`} className="mt-1 text-xs text-red-600">
                  {error}
                </p>
              ) : null}
            </li>
          );
        })}
      </ul>
      {hidden > 0 || showEarlier ? (
        <div className="px-4 pb-2">
          <button
            type="button"
            onClick={() => setShowEarlier((v) => !v)}
            aria-expanded={showEarlier}
            className="text-sm font-medium text-indigo-700 hover:text-indigo-900"
          >
            {showEarlier
              ? 'Hide earlier periods'
              : `Show ${hidden} earlier period${hidden === 1 ? '' : 's'} with targets`}
          </button>
        </div>
      ) : null}
      <div className="flex flex-wrap items-center justify-between gap-2 border-t border-gray-200 px-4 py-3">
        <p className="text-xs text-gray-500" aria-live="polite">
          {message ? (
            <span
              role={message.tone === 'error' ? 'alert' : 'status'}
              className={message.tone === 'ok' ? 'text-emerald-700' : 'text-red-700'}
            >
              {message.text}
            </span>
          ) : (
            `Leave a period empty to use the default target.${unitSuffix.trim() ? ` Values in ${unitSuffix.trim()}.` : ''}`
          )}
        </p>
        <Button type="submit" disabled={pending || changed.length === 0}>
          {pending
            ? 'Saving…'
            : changed.length > 0
              ? `Save ${changed.length} target${changed.length === 1 ? '' : 's'}`
              : 'Save targets'}
        </Button>
      </div>
    </form>
  );
}
