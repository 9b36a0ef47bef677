'use client';

import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useEffect, useId, useState, type KeyboardEvent } from 'react';
import { FieldMessage } from './field';

/** One page of matches from a picker's search route, and how many there are in all. */
export type PickerPage<T> = { hits: T[]; total: number };

/** GETs one page of a picker's search route (`url` carries q), as the pickers' `search` does. */
export async function fetchPickerPage<T>(url: string, signal: AbortSignal): Promise<PickerPage<T>> {
  const res = await fetch(url, { cache: 'no-store', signal });
  if (!res.ok) throw new Error('Could not search. Type again to retry.');
  return (await res.json()) as PickerPage<T>;
}

/** How long typing must pause before the search is sent. */
const DEBOUNCE_MS = 200;

/**
 * A search-as-you-type picker (the ARIA combobox pattern with a listbox popup): a labelled text
 * input that searches on the server as one types, the matches in a list under it. Up and Down
 * move through them (aria-activedescendant), Enter picks, Escape closes the list (a second
 * Escape puts the chosen name back), Tab leaves. The chosen item's name shows in the input when
 * not typing; `clearLabel` adds a first option that clears the choice. Shows how many of how
 * many matched, so a long list invites typing more.
 */
export function SearchCombobox<T>({
  id: givenId,
  label,
  hint,
  error,
  selectedLabel,
  placeholder,
  queryKey,
  search,
  itemId,
  itemLabel,
  itemDetail,
  onPick,
  clearLabel,
  disabled = false,
  className = '',
}: {
  id?: string;
  label: string;
  hint?: string;
  error?: string;
  /** What is chosen now, as the input shows it ('' for nothing). */
  selectedLabel: string;
  placeholder?: string;
  /** The React Query key of this search (the typed text is appended). */
  queryKey: readonly unknown[];
  search: (q: string, signal: AbortSignal) => Promise<PickerPage<T>>;
  itemId: (item: T) => string;
  itemLabel: (item: T) => string;
  itemDetail?: (item: T) => string;
  /** A match picked, or null for the clearing option. */
  onPick: (item: T | null) => void;
  clearLabel?: string;
  disabled?: boolean;
  className?: string;
}) {
  const autoId = useId();
  const id = givenId ?? autoId;
  const listId = `${id}-listbox`;
  const [open, setOpen] = useState(false);
  const [text, setText] = useState<string | null>(null);
  const [debounced, setDebounced] = useState('');
  const [active, setActive] = useState(0);
  const typed = text ?? '';
  useEffect(() => {
    const timer = setTimeout(() => setDebounced(typed.trim()), DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [typed]);
  const query = useQuery({
    queryKey: [...queryKey, debounced],
    queryFn: ({ signal }) => search(debounced, signal),
    enabled: open,
    placeholderData: keepPreviousData,
    staleTime: 30_000,
  });
  const hits = open ? (query.data?.hits ?? []) : [];
  const total = query.data?.total ?? 0;
  // The clearing option comes first; indexes below count it.
  const options: ({ kind: 'clear' } | { kind: 'item'; item: T })[] = [
    ...(clearLabel ? [{ kind: 'clear' as const }] : []),
    ...hits.map((item) => ({ kind: 'item' as const, item })),
  ];
  const current = Math.min(active, Math.max(0, options.length - 1));
  const optionId = (i: number) => `${id}-option-${i}`;
  const describedBy = [error ? `${id}-error` : hint ? `${id}-hint` : null, `${id}-status`]
    .filter(Boolean)
    .join(' ');

  function close() {
    setOpen(false);
    setText(null);
    setActive(0);
  }

  function pick(index: number) {
    const option = options[index];
    if (!option) return;
    onPick(option.kind === 'clear' ? null : option.item);
    close();
  }

  function onKeyDown(e: KeyboardEvent<HTMLInputElement>) {
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      if (!open) {
        setOpen(true);
        return;
      }
      if (options.length === 0) return;
      const step = e.key === 'ArrowDown' ? 1 : -1;
      setActive((current + step + options.length) % options.length);
    } else if (e.key === 'Enter') {
      if (!open) return;
      // Enter picks; it never submits the form while the list is open.
      e.preventDefault();
      pick(current);
    } else if (e.key === 'Escape') {
      if (open || text !== null) {
        e.preventDefault();
        close();
      }
    }
  }

  const status = !open
    ? ''
    : query.isError
      ? 'Could not search. Type again to retry.'
      : // Until the typed text is searched, the list holds an earlier search's matches.
        query.data === undefined || query.isFetching || debounced !== typed.trim()
        ? 'Searching…'
        : total === 0
          ? 'No matches.'
          : total > hits.length
            ? `${hits.length} of ${total} matches shown: type more to narrow.`
            : `${total} match${total === 1 ? '' : 'es'}.`;

  return (
    <div className={`relative ${className}`}>
      <label htmlFor={id} className="block text-sm font-medium text-gray-700">
        {label}
      </label>
      <input
        id={id}
        type="text"
        role="combobox"
        aria-expanded={open}
        aria-controls={listId}
        aria-autocomplete="list"
        aria-activedescendant={open && options.length > 0 ? optionId(current) : undefined}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy}
        autoComplete="off"
        spellCheck={false}
        disabled={disabled}
        placeholder={placeholder}
        value={text ?? selectedLabel}
        onChange={(e) => {
          setText(e.target.value);
          setActive(0);
          setOpen(true);
        }}
        onFocus={(e) => e.target.select()}
        onClick={() => setOpen(true)}
        onBlur={close}
        onKeyDown={onKeyDown}
        className={`mt-1 block w-full rounded-md border bg-white px-3 py-2 text-sm shadow-sm focus:border-indigo-500 focus:outline-none focus:ring-1 focus:ring-indigo-500 disabled:bg-gray-50 disabled:text-gray-500 ${
          error ? 'border-red-400' : 'border-gray-300'
        }`}
      />
      <div
        hidden={!open}
        className="absolute left-0 right-0 z-20 mt-1 rounded-md border border-gray-200 bg-white text-sm shadow-lg"
      >
        <ul id={listId} role="listbox" aria-label={label} className="max-h-72 overflow-y-auto py-1">
          {options.map((option, i) => (
            <li
              key={option.kind === 'clear' ? '' : itemId(option.item)}
              id={optionId(i)}
              role="option"
              aria-selected={i === current}
              // Picking must not blur the input first (that would close the list).
              onMouseDown={(e) => e.preventDefault()}
              onClick={() => pick(i)}
              onMouseMove={() => setActive(i)}
              className={`cursor-pointer px-3 py-2 ${i === current ? 'bg-indigo-600 text-white' : 'text-gray-900'}`}
            >
              {option.kind === 'clear' ? (
                <span className="italic">{clearLabel}</span>
              ) : (
                <>
                  <span className="block break-words font-medium">{itemLabel(option.item)}</span>
                  {itemDetail ? (
                    <span
                      className={`block break-words text-xs ${i === current ? 'text-indigo-100' : 'text-gray-500'}`}
                    >
                      {itemDetail(option.item)}
                    </span>
                  ) : null}
                </>
              )}
            </li>
          ))}
        </ul>
        <p className="border-t border-gray-100 px-3 py-1 text-xs text-gray-500" aria-hidden>
          {status}
        </p>
      </div>
      <p id={`${id}-status`} className="sr-only" aria-live="polite">
        {status}
      </p>
      <FieldMessage id={id} error={error} hint={hint} />
    </div>
  );
}
