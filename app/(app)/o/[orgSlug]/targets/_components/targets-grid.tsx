'use client';

import { useRef, useState, useTransition, type ClipboardEvent, type KeyboardEvent } from 'react';
import { useSaved } from '@/components/layout/use-saved';
import { Button } from '@/components/ui/button';
import { FormAlert, FormStatus } from '@/components/ui/form-alert';
import { saveTargetsAction } from '@/lib/actions/targets';
import { parseGridNumber, parsePastedBlock } from '@/lib/domain/target-grid';
import type { TargetGrid } from '@/lib/dal/kpis/target-grid';
import { useOrgLocale } from '@/components/locale/org-locale';

type Key = `${number}|${number}`;
const keyOf = (r: number, c: number): Key => `${r}|${c}`;

/**
 * The targets grid: KPIs by periods. Arrow keys move between cells (left and right at the ends
 * of the text), Enter moves down (Shift+Enter up), Tab moves on; a block pasted from a spreadsheet
 * fills from the focused cell. One save sends every changed cell; one refused cell saves nothing
 * and shows its error.
 */
export function TargetsGrid({ orgSlug, grid }: { orgSlug: string; grid: TargetGrid }) {
  const locale = useOrgLocale();
  const [drafts, setDrafts] = useState<Record<Key, string>>({});
  const [errors, setErrors] = useState<Record<Key, string>>({});
  const [alert, setAlert] = useState<string | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const [pending, startSave] = useTransition();
  const afterSave = useSaved();
  const cells = useRef(new Map<Key, HTMLInputElement>());
  const rows = grid.rows.length;
  const cols = grid.periods.length;

  const original = (r: number, c: number) => grid.rows[r]?.cells[c] ?? '';
  const textOf = (r: number, c: number) => drafts[keyOf(r, c)] ?? original(r, c);
  const changed = Object.keys(drafts).filter((k) => {
    const [r, c] = k.split('|').map(Number) as [number, number];
    return drafts[k as Key]?.trim() !== original(r, c);
  }) as Key[];

  function move(r: number, c: number) {
    const el = cells.current.get(
      keyOf(Math.max(0, Math.min(rows - 1, r)), Math.max(0, Math.min(cols - 1, c))),
    );
    el?.focus();
    el?.select();
  }

  function onKeyDown(e: KeyboardEvent<HTMLInputElement>, r: number, c: number) {
    const el = e.currentTarget;
    const atStart = el.selectionStart === 0 && el.selectionEnd === 0;
    const atEnd = el.selectionStart === el.value.length;
    const whole = el.selectionStart === 0 && el.selectionEnd === el.value.length;
    if (e.key === 'ArrowDown' || (e.key === 'Enter' && !e.shiftKey)) move(r + 1, c);
    else if (e.key === 'ArrowUp' || (e.key === 'Enter' && e.shiftKey)) move(r - 1, c);
    else if (e.key === 'ArrowLeft' && (atStart || whole)) move(r, c - 1);
    else if (e.key === 'ArrowRight' && (atEnd || whole)) move(r, c + 1);
    else return;
    e.preventDefault();
  }

  function edit(next: Record<Key, string>) {
    setDrafts(next);
    setMessage(null);
    const nextErrors: Record<Key, string> = {};
    for (const [k, text] of Object.entries(next) as [Key, string][]) {
      const parsed = parseGridNumber(text, locale);
      if (!parsed.ok) nextErrors[k] = parsed.error;
    }
    setErrors(nextErrors);
  }

  function onPaste(e: ClipboardEvent<HTMLInputElement>, r: number, c: number) {
    const block = parsePastedBlock(e.clipboardData.getData('text/plain'));
    if (block.length === 1 && block[0]?.length === 1) return; // one value: the input takes it
    e.preventDefault();
    const next = { ...drafts };
    block.forEach((line, i) =>
      line.forEach((text, j) => {
        if (r + i < rows && c + j < cols) next[keyOf(r + i, c + j)] = text.trim();
      }),
    );
    edit(next);
  }

  function save() {
    const sent: Key[] = [];
    const targets: { kpiId: string; periodStart: string; target: string | null }[] = [];
    for (const k of changed) {
      const [r, c] = k.split('|').map(Number) as [number, number];
      const parsed = parseGridNumber(drafts[k] ?? '', locale);
      if (!parsed.ok) continue;
      sent.push(k);
      targets.push({
        kpiId: grid.rows[r]?.id ?? '',
        periodStart: grid.periods[c]?.start ?? '',
        target: parsed.value,
      });
    }
    if (Object.keys(errors).length > 0) {
      setAlert('Nothing was saved: fix the marked cells.');
      return;
    }
    startSave(async () => {
      const result = await saveTargetsAction(orgSlug, { targets });
      if (!result.ok) {
        const cellErrors: Record<Key, string> = {};
        for (const [field, messages] of Object.entries(result.error.fieldErrors ?? {})) {
          const m = /^targets\.(\d+)\./.exec(field);
          const key = m ? sent[Number(m[1])] : undefined;
          if (key && messages[0]) cellErrors[key] = messages[0];
        }
        setErrors(cellErrors);
        setAlert(result.error.message);
        return;
      }
      setAlert(null);
      setErrors({});
      setDrafts({});
      setMessage(`Saved ${result.data.saved} target${result.data.saved === 1 ? '' : 's'}.`);
      await afterSave();
    });
  }

  return (
    <div className="space-y-3">
      <div className="overflow-x-auto rounded-xl border border-gray-200 bg-white shadow-sm">
        <table
          className="stack-table text-sm"
          aria-label={`Targets by period, ${grid.fiscalYear.label}`}
        >
          <thead className="bg-gray-50 text-left text-xs uppercase tracking-wide text-gray-500">
            <tr>
              <th className="sticky left-0 z-10 min-w-[10rem] bg-gray-50 px-3 py-2 sm:min-w-[14rem]">
                KPI
              </th>
              {grid.periods.map((p) => (
                <th key={p.start} className="whitespace-nowrap px-1 py-2 text-right">
                  {p.label}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {grid.rows.map((row, r) => (
              <tr key={row.id} className="border-t border-gray-100">
                <th
                  scope="row"
                  className="sticky left-0 z-10 bg-white px-3 py-1 text-left font-normal"
                  style={{ paddingLeft: `${0.75 + row.depth * 0.75}rem` }}
                >
                  <span className="block break-words font-medium text-gray-900 md:max-w-[16rem] md:truncate">
                    {row.name}
                  </span>
                  <span className="block text-xs text-gray-500">
                    {row.unitName}
                    {row.defaultTarget !== null ? ` · default ${row.defaultTarget}` : ''}
                  </span>
                </th>
                {grid.periods.map((p, c) => {
                  const k = keyOf(r, c);
                  const error = errors[k];
                  const dirty = changed.includes(k);
                  return (
                    <td key={p.start} data-label={p.label} className="px-1 py-1 align-top">
                      <input
                        ref={(el) => {
                          if (el) cells.current.set(k, el);
                          else cells.current.delete(k);
                        }}
                        aria-label={`${row.name}, ${p.label}`}
                        inputMode="decimal"
                        value={textOf(r, c)}
                        placeholder={row.defaultTarget ?? ''}
                        onChange={(e) => edit({ ...drafts, [k]: e.target.value })}
                        onKeyDown={(e) => onKeyDown(e, r, c)}
                        onPaste={(e) => onPaste(e, r, c)}
                        onFocus={(e) => e.currentTarget.select()}
                        aria-invalid={error ? true : undefined}
                        title={error}
                        className={`w-24 rounded border px-1.5 py-1 text-right tabular-nums placeholder:text-gray-300 focus:border-indigo-500 focus:outline-none focus:ring-1 focus:ring-indigo-500 ${
                          error
                            ? 'border-red-500 bg-red-50'
                            : dirty
                              ? 'border-dashed border-amber-500 bg-amber-50'
                              : 'border-gray-200'
                        }`}
                      />
                      {error ? (
                        <p
                          className="mt-0.5 w-24 text-xs leading-tight text-red-600"
                          data-testid="cell-error"
                        >
                          {error}
                        </p>
                      ) : null}
                    </td>
                  );
                })}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <FormAlert message={alert} />
      <FormStatus message={message} />
      <div className="flex items-center gap-3">
        <Button
          type="button"
          onClick={save}
          disabled={pending || changed.length === 0}
          className="shrink-0 whitespace-nowrap"
        >
          {pending ? 'Saving…' : `Save ${changed.length} change${changed.length === 1 ? '' : 's'}`}
        </Button>
        <p className="text-xs text-gray-500">
          Empty cells use the default target. Paste a block from a spreadsheet; 12,000 and 12 000
          are read as twelve thousand.
        </p>
      </div>
    </div>
  );
}
