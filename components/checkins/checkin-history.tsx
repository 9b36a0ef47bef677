'use client';

import { useState, useTransition, type FormEvent } from 'react';
import { useSaved } from '@/components/layout/use-saved';
import { Button } from '@/components/ui/button';
import { deleteCheckinAction, updateCheckinAction } from '@/lib/actions/checkins';
import { formatDay } from '@/lib/domain/dates';
import { normalizeDecimal } from '@/lib/domain/decimal';
import { parseLocaleDecimal, toLocaleInput } from '@/lib/domain/locale-number';
import { formatValue, type MeasureUnit } from '@/lib/domain/format';
import { asksToConfirm, UnusualConfirm } from './unusual-confirm';
import { useOrgLocale } from '@/components/locale/org-locale';

export type CheckinItem = {
  id: string;
  observedOn: string;
  value: string;
  note: string;
  source: 'manual' | 'csv' | 'api' | 'sql';
  authorName: string | null;
  version: number;
};

type Measure = { measureUnit: MeasureUnit; currency: string | null; decimals: number };

/** Check-in history of a KPI, with edit and delete for people allowed to record values. */
export function CheckinHistory({
  orgSlug,
  items,
  measure,
  canEdit,
  today,
}: {
  orgSlug: string;
  items: CheckinItem[];
  measure: Measure;
  canEdit: boolean;
  today: string;
}) {
  const locale = useOrgLocale();
  const [editing, setEditing] = useState<string | null>(null);
  const [showAll, setShowAll] = useState(false);
  if (items.length === 0)
    return <p className="p-4 text-sm text-gray-600">No values recorded yet.</p>;
  const shown = showAll ? items : items.slice(0, RECENT);
  return (
    <>
      <ul className="divide-y divide-gray-100" aria-label="Check-ins">
        {shown.map((c) =>
          editing === c.id ? (
            <li key={c.id} className="px-4 py-3">
              <EditCheckin
                orgSlug={orgSlug}
                item={c}
                today={today}
                onDone={() => setEditing(null)}
              />
            </li>
          ) : (
            <li
              key={c.id}
              className="flex items-start justify-between gap-4 px-4 py-2 text-sm"
              data-testid="checkin-item"
            >
              <div className="min-w-0">
                <p className="font-medium tabular-nums">{formatValue(c.value, measure, locale)}</p>
                <p className="text-xs text-gray-500">
                  {formatDay(c.observedOn, locale)} · {c.authorName ?? 'Unknown'} · {c.source}
                </p>
                {c.note ? <p className="mt-1 break-words text-gray-700">{c.note}</p> : null}
              </div>
              {canEdit ? (
                <div className="flex shrink-0 gap-1">
                  <button
                    type="button"
                    onClick={() => setEditing(c.id)}
                    aria-label={`Edit check-in of ${c.observedOn}`}
                    className="rounded px-2 py-1 text-xs font-medium text-indigo-700 hover:bg-indigo-50 focus-visible:outline focus-visible:outline-2 focus-visible:outline-indigo-600"
                  >
                    Edit
                  </button>
                  <DeleteCheckin orgSlug={orgSlug} item={c} />
                </div>
              ) : null}
            </li>
          ),
        )}
      </ul>
      {items.length > RECENT ? (
        <div className="border-t border-gray-100 px-4 py-2">
          <button
            type="button"
            onClick={() => setShowAll((v) => !v)}
            aria-expanded={showAll}
            className="text-sm font-medium text-indigo-700 hover:text-indigo-900 focus-visible:outline focus-visible:outline-2 focus-visible:outline-indigo-600"
          >
            {showAll ? 'Show the latest only' : `Show all ${items.length}`}
          </button>
        </div>
      ) : null}
    </>
  );
}

const RECENT = 8;

function EditCheckin({
  orgSlug,
  item,
  today,
  onDone,
}: {
  orgSlug: string;
  item: CheckinItem;
  today: string;
  onDone: () => void;
}) {
  const locale = useOrgLocale();
  const afterSave = useSaved();
  const [pending, startTransition] = useTransition();
  const [value, setValue] = useState(toLocaleInput(normalizeDecimal(item.value), locale));
  const [observedOn, setObservedOn] = useState(item.observedOn);
  const [note, setNote] = useState(item.note);
  const [error, setError] = useState<string | null>(null);
  const [question, setQuestion] = useState<string | null>(null);

  function save(confirmUnusual: boolean) {
    setQuestion(null);
    const parsed = parseLocaleDecimal(value, locale);
    if (!parsed.ok) return setError(parsed.error);
    startTransition(async () => {
      const result = await updateCheckinAction(orgSlug, {
        checkinId: item.id,
        version: item.version,
        value: toLocaleInput(parsed.value, locale),
        observedOn,
        note,
        ...(confirmUnusual ? { confirmUnusual } : {}),
      });
      if (!result.ok) {
        const fe = result.error.fieldErrors ?? {};
        const asked = asksToConfirm(fe);
        if (asked) {
          setError(null);
          return setQuestion(asked);
        }
        setError(fe.value?.[0] ?? fe.observedOn?.[0] ?? fe.note?.[0] ?? result.error.message);
        return;
      }
      onDone();
      void afterSave();
    });
  }

  function submit(e: FormEvent) {
    e.preventDefault();
    save(false);
  }

  const cls =
    'rounded-md border border-gray-300 px-2 py-1 text-sm focus:border-indigo-500 focus:outline-none focus:ring-1 focus:ring-indigo-500';
  return (
    <form
      onSubmit={submit}
      noValidate
      className="space-y-2"
      aria-label={`Edit check-in of ${item.observedOn}`}
    >
      <div className="flex flex-wrap gap-2">
        <label className="text-xs text-gray-600">
          Value
          <input
            className={`${cls} mt-0.5 block w-32 text-right tabular-nums`}
            inputMode="decimal"
            value={value}
            onChange={(e) => {
              setValue(e.target.value);
              setQuestion(null);
            }}
          />
        </label>
        <label className="text-xs text-gray-600">
          Date
          <input
            className={`${cls} mt-0.5 block`}
            type="date"
            max={today}
            value={observedOn}
            onChange={(e) => setObservedOn(e.target.value)}
          />
        </label>
        <label className="min-w-0 flex-1 text-xs text-gray-600">
          Note
          <input
            className={`${cls} mt-0.5 block w-full`}
            value={note}
            maxLength={2000}
            onChange={(e) => setNote(e.target.value)}
          />
        </label>
      </div>
      <p className="text-xs text-gray-500">
        Editing changes the reading of {formatDay(item.observedOn, locale)} itself; the audit log
        keeps what it was.
      </p>
      {error ? (
        <p role="alert" className="text-sm text-red-700">
          {error}
        </p>
      ) : null}
      {question ? (
        <UnusualConfirm
          questions={[question]}
          pending={pending}
          onConfirm={() => save(true)}
          onCancel={() => setQuestion(null)}
        />
      ) : null}
      <div className="flex gap-2">
        <Button type="submit" disabled={pending} className="px-3 py-1">
          {pending ? 'Saving…' : 'Save'}
        </Button>
        <Button type="button" variant="ghost" onClick={onDone} className="px-3 py-1">
          Cancel
        </Button>
      </div>
    </form>
  );
}

function DeleteCheckin({ orgSlug, item }: { orgSlug: string; item: CheckinItem }) {
  const afterSave = useSaved();
  const [confirming, setConfirming] = useState(false);
  const [pending, startTransition] = useTransition();
  const [error, setError] = useState<string | null>(null);
  if (!confirming) {
    return (
      <button
        type="button"
        onClick={() => setConfirming(true)}
        aria-label={`Delete check-in of ${item.observedOn}`}
        className="rounded px-2 py-1 text-xs font-medium text-red-700 hover:bg-red-50 focus-visible:outline focus-visible:outline-2 focus-visible:outline-red-600"
      >
        Delete
      </button>
    );
  }
  return (
    <span className="flex flex-col items-end gap-1">
      <span className="flex gap-1">
        <button
          type="button"
          disabled={pending}
          onClick={() =>
            startTransition(async () => {
              const result = await deleteCheckinAction(orgSlug, {
                checkinId: item.id,
                version: item.version,
              });
              if (!result.ok) return setError(result.error.message);
              void afterSave();
            })
          }
          className="rounded bg-red-600 px-2 py-1 text-xs font-medium text-white hover:bg-red-700"
        >
          {pending ? 'Deleting…' : 'Confirm delete'}
        </button>
        <button
          type="button"
          onClick={() => setConfirming(false)}
          className="rounded px-2 py-1 text-xs text-gray-600 hover:bg-gray-100"
        >
          Cancel
        </button>
      </span>
      {error ? (
        <span role="alert" className="text-xs text-red-700">
          {error}
        </span>
      ) : null}
    </span>
  );
}
