'use client';

import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useLayoutEffect, useRef, useState, type KeyboardEvent } from 'react';
import {
  applyCompletion,
  completionOptions,
  completionWord,
  type CompletionKpi,
  type CompletionOption,
} from '@/lib/domain/formula/completion';
import { caretLine, problemPosition } from '@/lib/domain/formula/substitute';
import type { FormulaPreview } from '@/lib/dal/kpis/formula-preview';
import { searchKeyedKpis } from '@/components/kpis/kpi-pickers';

const INPUT =
  'mt-1 block w-full rounded-md border bg-white px-3 py-2 font-mono text-sm shadow-sm focus:border-indigo-500 focus:outline-none focus:ring-1 focus:ring-indigo-500';

/** A formula problem as the field shows it: its text, then the formula with a caret under it. */
export function FormulaProblem({
  id,
  formula,
  message,
}: {
  id: string;
  formula: string;
  message: string;
}) {
  const at = problemPosition(message);
  const text = at === null ? message : message.replace(/ at \d+$/, '');
  return (
    <div id={id} className="mt-1 text-sm text-red-600" data-testid="formula-error">
      <p>
        {text}
        {at !== null ? ` (at character ${at + 1})` : ''}
      </p>
      {at !== null && formula !== '' ? (
        <pre
          aria-hidden="true"
          className="mt-1 overflow-x-auto rounded bg-red-50 px-2 py-1 font-mono text-xs leading-5 text-red-800"
        >
          {formula}
          {'\n'}
          {caretLine(Math.min(at, formula.length))}
        </pre>
      ) : null}
    </div>
  );
}

/**
 * The keyed KPIs (other than `excludeId`) whose key or name contains `prefix`, searched on the
 * server as one types (the cascade map's search: what the actor may see, at most 20).
 */
function useKeyCompletion(orgSlug: string, prefix: string, excludeId: string | undefined) {
  const query = useQuery({
    queryKey: ['kpi-key-completion', orgSlug, prefix],
    queryFn: async ({ signal }): Promise<CompletionKpi[]> =>
      (await searchKeyedKpis(orgSlug, prefix, signal, excludeId)).map((h) => ({
        key: h.key,
        name: h.name,
      })),
    enabled: prefix.trim() !== '',
    placeholderData: keepPreviousData,
    staleTime: 30_000,
  });
  return query.data ?? [];
}

/**
 * The formula text field: an accessible combobox that completes KPI keys (by key prefix, key
 * segment or name) and function names at the caret; arrow keys choose, Enter or Tab insert,
 * Escape closes. The server's check (or the preview's) shows under it with its position.
 */
export function FormulaField({
  value,
  onChange,
  error: saveError,
  draftProblem,
  orgSlug,
  excludeKpiId,
}: {
  value: string;
  onChange: (text: string) => void;
  /** The save's refusal of the formula. */
  error?: string;
  /** The preview's check of the draft: not shown while a key is being picked. */
  draftProblem?: string;
  orgSlug: string;
  /** The KPI being edited: not offered (it reads itself only through prev). */
  excludeKpiId?: string;
}) {
  const ref = useRef<HTMLInputElement>(null);
  // The caret after a pick, placed as soon as the new text is in the input (before any key
  // typed next is handled: a later frame would move the caret back under fast typing).
  const pendingCaret = useRef<number | null>(null);
  useLayoutEffect(() => {
    const at = pendingCaret.current;
    if (at === null || !ref.current) return;
    pendingCaret.current = null;
    ref.current.focus();
    ref.current.setSelectionRange(at, at);
  }, [value]);
  const [caret, setCaret] = useState<number | null>(null);
  const [active, setActive] = useState(0);
  const [closed, setClosed] = useState(false);
  const word = caret === null ? null : completionWord(value, caret);
  const kpis = useKeyCompletion(orgSlug, word && !closed ? word.prefix : '', excludeKpiId);
  const options = word && !closed ? completionOptions(word.prefix, kpis) : [];
  const open = options.length > 0;
  const error = saveError ?? (open ? undefined : draftProblem);
  const current = Math.min(active, Math.max(0, options.length - 1));
  const id = 'kpi-formula';
  const listId = `${id}-options`;

  function track(el: HTMLInputElement) {
    setCaret(el.selectionStart);
  }

  function pick(option: CompletionOption) {
    if (!word) return;
    const next = applyCompletion(value, word, option);
    pendingCaret.current = next.caret;
    onChange(next.text);
    setCaret(next.caret);
    setActive(0);
  }

  function onKeyDown(e: KeyboardEvent<HTMLInputElement>) {
    if (!open) return;
    if (e.key === 'ArrowDown') {
      e.preventDefault();
      setActive((current + 1) % options.length);
    } else if (e.key === 'ArrowUp') {
      e.preventDefault();
      setActive((current - 1 + options.length) % options.length);
    } else if (e.key === 'Enter' || e.key === 'Tab') {
      const option = options[current];
      if (option) {
        e.preventDefault();
        pick(option);
      }
    } else if (e.key === 'Escape') {
      e.preventDefault();
      setClosed(true);
    }
  }

  return (
    <div className="relative sm:col-span-2">
      <label htmlFor={id} className="block text-sm font-medium text-gray-700">
        Formula
      </label>
      <input
        ref={ref}
        id={id}
        type="text"
        role="combobox"
        aria-autocomplete="list"
        aria-expanded={open}
        aria-controls={listId}
        aria-activedescendant={open ? `${listId}-${current}` : undefined}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? `${id}-error` : `${id}-hint`}
        autoComplete="off"
        spellCheck={false}
        placeholder="sales.new_arr + cs.expansion_arr"
        value={value}
        maxLength={2000}
        className={`${INPUT} ${error ? 'border-red-400' : 'border-gray-300'}`}
        onChange={(e) => {
          onChange(e.target.value);
          track(e.target);
          setClosed(false);
          setActive(0);
        }}
        onKeyDown={onKeyDown}
        onKeyUp={(e) => {
          if (
            e.key === 'ArrowLeft' ||
            e.key === 'ArrowRight' ||
            e.key === 'Home' ||
            e.key === 'End'
          )
            track(e.currentTarget);
        }}
        onClick={(e) => track(e.currentTarget)}
        onBlur={() => setTimeout(() => setCaret(null), 150)}
        onFocus={(e) => track(e.currentTarget)}
      />
      <ul
        id={listId}
        role="listbox"
        aria-label="Matching KPIs and functions"
        hidden={!open}
        className="absolute z-20 mt-1 max-h-64 w-full overflow-auto rounded-md border border-gray-200 bg-white py-1 text-sm shadow-lg"
      >
        {options.map((o, i) => (
          <li
            key={`${o.kind}:${o.key}`}
            id={`${listId}-${i}`}
            role="option"
            aria-selected={i === current}
            className={`flex cursor-pointer flex-wrap items-baseline justify-between gap-x-3 px-3 py-1.5 ${
              i === current ? 'bg-indigo-50 text-indigo-900' : 'text-gray-800'
            }`}
            onMouseDown={(e) => {
              e.preventDefault();
              pick(o);
            }}
          >
            <code className="font-mono text-xs">{o.kind === 'function' ? `${o.key}(` : o.key}</code>
            <span className="truncate text-xs text-gray-500">{o.name}</span>
          </li>
        ))}
      </ul>
      {error ? (
        <FormulaProblem id={`${id}-error`} formula={value} message={error} />
      ) : (
        <p id={`${id}-hint`} className="mt-1 text-xs text-gray-500">
          Other KPIs by key, numbers, + - * / and ( ), prev(key), min, max, abs, coalesce. Type a
          key or a name to pick from your KPIs.
        </p>
      )}
    </div>
  );
}

/** The live preview under the formula: the last periods' values, or why each has none. */
export function FormulaPreviewTable({
  preview,
  pending,
}: {
  preview: FormulaPreview | null;
  pending: boolean;
}) {
  if (!preview || !preview.ok) {
    return pending ? (
      <p className="text-xs text-gray-500 sm:col-span-2" aria-live="polite">
        Computing a preview…
      </p>
    ) : null;
  }
  return (
    <div className="sm:col-span-2" aria-live="polite" data-testid="formula-preview">
      <table className="w-full max-w-md text-sm">
        <caption className="text-left text-xs font-medium text-gray-600">
          Preview from current data{pending ? ' (updating…)' : ''}
        </caption>
        <tbody>
          {preview.rows.map((r) => (
            <tr key={r.start} className="border-t border-gray-100">
              <th scope="row" className="py-1 pr-4 text-left font-normal text-gray-600">
                {r.label}
              </th>
              <td className="py-1 text-right tabular-nums">
                {r.display ?? <span className="text-gray-500">no value: {r.reason}</span>}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
