'use client';

import { useState } from 'react';
import { useOrgLocale } from '@/components/locale/org-locale';
import { toLocaleInput } from '@/lib/domain/locale-number';
import { parseGridNumber } from '@/lib/domain/target-grid';

export type TargetPeriod = {
  start: string;
  label: string;
  override: string | null;
  isCurrent: boolean;
};

/** The per-period targets the KPI form shows (edit mode), with the page's window of periods. */
export type TargetEditorProps = {
  periods: TargetPeriod[];
  /** Periods before this start are folded away (older overrides). */
  windowStart: string;
  defaultTarget: string | null;
  unitSuffix: string;
};

/** Typed text per period start, for the periods the person touched. */
export type TargetDrafts = Record<string, string>;

/**
 * What saving the drafts would send: a target per changed period (null clears the override), or
 * the periods whose text is not a number. Unchanged rows are left out.
 */
export function targetChanges(
  periods: readonly TargetPeriod[],
  drafts: TargetDrafts,
  locale: string,
): { changes: { periodStart: string; target: string | null }[]; errors: Record<string, string> } {
  const changes: { periodStart: string; target: string | null }[] = [];
  const errors: Record<string, string> = {};
  for (const p of periods) {
    const draft = drafts[p.start];
    if (draft === undefined) continue;
    // Typed the way the organization's locale writes numbers (or plainly); sent as exact decimals.
    const parsed = parseGridNumber(draft, locale);
    if (!parsed.ok) errors[p.start] = parsed.error;
    else if (parsed.value !== p.override)
      changes.push({ periodStart: p.start, target: parsed.value });
  }
  return { changes, errors };
}

/**
 * The target of each period, inside the KPI form: an override, or (left empty) the KPI's default
 * target. The form saves the changed rows with everything else; errors show on their row.
 */
export function TargetFields({
  periods,
  windowStart,
  defaultTarget,
  unitSuffix,
  drafts,
  errors,
  onChange,
}: TargetEditorProps & {
  drafts: TargetDrafts;
  /** Error per period start. */
  errors: Record<string, string>;
  onChange: (start: string, text: string) => void;
}) {
  const [showEarlier, setShowEarlier] = useState(false);
  const locale = useOrgLocale();
  const textOf = (p: TargetPeriod) =>
    drafts[p.start] ?? (p.override === null ? '' : toLocaleInput(p.override, locale));
  // A refused row stays in view even when it is an earlier period.
  const shown = showEarlier
    ? periods
    : periods.filter((p) => p.start >= windowStart || errors[p.start]);
  const hidden = periods.length - shown.length;
  return (
    <fieldset aria-labelledby="targets-heading" className="sm:col-span-2">
      <legend id="targets-heading" className="text-sm font-semibold text-gray-900">
        Targets by period
      </legend>
      <p className="mt-0.5 text-xs text-gray-500">
        Leave a period empty to use the default target
        {defaultTarget === null ? '' : ` (${defaultTarget})`}.
        {unitSuffix.trim() ? ` Values in ${unitSuffix.trim()}.` : ''}
      </p>
      <ul
        className="mt-2 grid grid-cols-2 gap-2 sm:grid-cols-3 sm:gap-3 lg:grid-cols-4"
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
                onChange={(e) => onChange(p.start, e.target.value)}
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
        <button
          type="button"
          onClick={() => setShowEarlier((v) => !v)}
          aria-expanded={showEarlier}
          className="mt-2 text-sm font-medium text-indigo-700 hover:text-indigo-900"
        >
          {showEarlier
            ? 'Hide earlier periods'
            : `Show ${hidden} earlier period${hidden === 1 ? '' : 's'} with targets`}
        </button>
      ) : null}
    </fieldset>
  );
}
