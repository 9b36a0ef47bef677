'use client';

import { useEffect, useRef } from 'react';
import { Button } from '@/components/ui/button';

/*
 * The confirmation step of a value far from a KPI's recent readings: the server refuses such a
 * value with the question on `confirmUnusual` (or `items.<index>.confirmUnusual`) until the form
 * sends it again with `confirmUnusual: true`. Shared by every check-in form.
 */

/**
 * The unusual-value questions of a refusal, by item index (`-1` for a single check-in's own
 * `confirmUnusual`); null when the refusal has any other problem (those are fixed first).
 */
export function unusualQuestions(
  fieldErrors: Record<string, string[]> | undefined,
): Map<number, string> | null {
  const entries = Object.entries(fieldErrors ?? {});
  if (entries.length === 0) return null;
  const out = new Map<number, string>();
  for (const [key, messages] of entries) {
    const match = /^(?:items\.(\d+)\.)?confirmUnusual$/.exec(key);
    if (!match || !messages[0]) return null;
    out.set(match[1] === undefined ? -1 : Number(match[1]), messages[0]);
  }
  return out;
}

/** A single check-in's question when its refusal is only an unusual value to confirm, else null. */
export function asksToConfirm(fieldErrors: Record<string, string[]> | undefined): string | null {
  return unusualQuestions(fieldErrors)?.get(-1) ?? null;
}

/** A refusal that only asks to confirm an unusual value (the form shows the question). */
export class UnusualValueQuestion extends Error {}

/**
 * "This is 12x your usual value (...). Save anyway?" with "Save anyway" (sends the value again,
 * confirmed) and "Change value" (back to the input). Takes the focus when it appears, so keyboard
 * and screen-reader users meet the question.
 */
export function UnusualConfirm({
  questions,
  onConfirm,
  onCancel,
  pending = false,
}: {
  questions: readonly string[];
  onConfirm: () => void;
  onCancel: () => void;
  pending?: boolean;
}) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    ref.current?.focus();
  }, []);
  return (
    <div
      ref={ref}
      tabIndex={-1}
      role="group"
      aria-labelledby="unusual-confirm-title"
      data-testid="unusual-confirm"
      className="space-y-2 rounded-md border border-amber-300 bg-amber-50 px-3 py-2 text-sm text-amber-950 focus:outline-none focus-visible:ring-2 focus-visible:ring-amber-500"
    >
      <p id="unusual-confirm-title" className="font-medium">
        {questions.length === 1 ? 'Is this value right?' : 'Are these values right?'}
      </p>
      <ul className="space-y-1">
        {questions.map((q) => (
          <li key={q}>{q}</li>
        ))}
      </ul>
      <div className="flex flex-wrap gap-2">
        <Button type="button" onClick={onConfirm} disabled={pending} className="px-3 py-1">
          {pending ? 'Saving…' : 'Save anyway'}
        </Button>
        <Button type="button" variant="secondary" onClick={onCancel} className="px-3 py-1">
          Change value
        </Button>
      </div>
    </div>
  );
}
