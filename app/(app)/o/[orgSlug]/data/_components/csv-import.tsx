'use client';

import { useId, useState, useTransition, type ChangeEvent } from 'react';
import { useSaved } from '@/components/layout/use-saved';
import type { ImportPreview } from '@/lib/dal/csv-import';
import { MAX_IMPORT_BYTES } from '@/lib/domain/import-limits';
import type { Result } from '@/lib/result';

type ImportOutcome = {
  created: number;
  duplicates: number;
  warnings: { line: number; messages: string[] }[];
  /** Rows left out by "import the valid rows", with why. */
  refused: { line: number; errors: string[] }[];
};

/**
 * Streams the file to the import route (a server action's body is capped at 1 MB, the file may
 * be 2 MB): `preview` writes nothing, `import` records all rows or none, or only the valid ones
 * with `acceptValid` (the person saw the refusals in the preview).
 */
async function sendFile(
  orgSlug: string,
  mode: 'preview',
  file: File,
): Promise<Result<ImportPreview>>;
async function sendFile(
  orgSlug: string,
  mode: 'import',
  file: File,
  acceptValid: boolean,
): Promise<Result<ImportOutcome>>;
async function sendFile(
  orgSlug: string,
  mode: 'preview' | 'import',
  file: File,
  acceptValid = false,
): Promise<Result<unknown>> {
  try {
    const response = await fetch(
      `/api/o/${encodeURIComponent(orgSlug)}/checkins-import?mode=${mode}${acceptValid ? '&accept=valid' : ''}`,
      {
        method: 'POST',
        headers: { 'content-type': 'text/csv' },
        body: file,
      },
    );
    return (await response.json()) as Result<unknown>;
  } catch {
    return {
      ok: false,
      error: {
        code: 'INTERNAL',
        message: 'The file could not be sent. Check your connection and try again.',
      },
    };
  }
}

const STATUS: Record<ImportPreview['rows'][number]['status'], { text: string; className: string }> =
  {
    new: { text: 'Will be recorded', className: 'text-emerald-700' },
    duplicate: { text: 'Already recorded: skipped', className: 'text-gray-600' },
    blank: { text: 'No value: ignored', className: 'text-gray-600' },
    error: { text: 'Needs fixing', className: 'text-red-700' },
  };

/** Choose a file -> preview every row with its problems (nothing written) -> confirm the import. */
export function CsvImport({ orgSlug }: { orgSlug: string }) {
  const afterSave = useSaved();
  const inputId = useId();
  const [csv, setCsv] = useState<File | null>(null);
  const [fileName, setFileName] = useState('');
  const [preview, setPreview] = useState<ImportPreview | null>(null);
  const [message, setMessage] = useState<{ kind: 'ok' | 'error'; text: string } | null>(null);
  const [pending, startTransition] = useTransition();

  function onFile(event: ChangeEvent<HTMLInputElement>) {
    const file = event.target.files?.[0];
    setPreview(null);
    setMessage(null);
    setCsv(null);
    if (!file) return;
    setFileName(file.name);
    if (file.size > MAX_IMPORT_BYTES) {
      setMessage({
        kind: 'error',
        text: `${file.name} is larger than ${MAX_IMPORT_BYTES / 1024 / 1024} MB: split it into smaller files.`,
      });
      return;
    }
    setCsv(file);
    startTransition(async () => {
      const result = await sendFile(orgSlug, 'preview', file);
      if (!result.ok)
        setMessage({
          kind: 'error',
          text: result.error.fieldErrors?.csv?.[0] ?? result.error.message,
        });
      else if (result.data.fileError) setMessage({ kind: 'error', text: result.data.fileError });
      else setPreview(result.data);
    });
  }

  function onImport(acceptValid: boolean) {
    if (csv === null) return;
    startTransition(async () => {
      const result = await sendFile(orgSlug, 'import', csv, acceptValid);
      if (!result.ok) {
        setMessage({ kind: 'error', text: result.error.message });
        return;
      }
      const { created, duplicates, warnings, refused } = result.data;
      const flagged = warnings.length
        ? ` ${warnings.length} unusual ${warnings.length === 1 ? 'value' : 'values'} (line ${warnings.map((w) => w.line).join(', ')}) ${warnings.length === 1 ? 'was' : 'were'} recorded as given.`
        : '';
      setMessage({
        kind: 'ok',
        text: `Imported ${created} ${created === 1 ? 'check-in' : 'check-ins'}${duplicates ? `; ${duplicates} already recorded ${duplicates === 1 ? 'was' : 'were'} skipped` : ''}.${flagged}${
          refused.length
            ? ` Not imported: ${refused.map((r) => `line ${r.line} (${r.errors.join('; ')})`).join(', ')}.`
            : ''
        }`,
      });
      setPreview(null);
      setCsv(null);
      void afterSave();
    });
  }

  const counts = preview?.counts;
  const canImport = counts !== undefined && counts.error === 0 && counts.new > 0;
  // Some rows refused, some valid: the person may take the valid ones and fix the rest later.
  const canImportValid = counts !== undefined && counts.error > 0 && counts.new > 0;
  return (
    <div className="mt-4 space-y-4">
      <div>
        <label htmlFor={inputId} className="block text-sm font-medium text-gray-700">
          CSV file
        </label>
        <input
          id={inputId}
          type="file"
          accept=".csv,text/csv"
          onChange={onFile}
          disabled={pending}
          className="mt-1 block w-full text-sm text-gray-700 file:mr-3 file:rounded-md file:border-0 file:bg-indigo-50 file:px-3 file:py-2 file:text-sm file:font-medium file:text-indigo-700 hover:file:bg-indigo-100"
        />
      </div>
      {pending ? <p className="text-sm text-gray-600">Checking {fileName}…</p> : null}
      {message ? (
        <p
          role="status"
          data-testid="import-message"
          className={`rounded-md px-3 py-2 text-sm ${message.kind === 'ok' ? 'bg-emerald-50 text-emerald-800' : 'bg-red-50 text-red-800'}`}
        >
          {message.text}
        </p>
      ) : null}
      {preview && counts ? (
        <div className="space-y-3" data-testid="import-preview">
          <p className="text-sm text-gray-800">
            {fileName}: <strong>{counts.new}</strong> to record, {counts.duplicate} already
            recorded, {counts.blank} without a value,{' '}
            <strong className={counts.error ? 'text-red-700' : ''}>{counts.error}</strong> to fix.
            {counts.error
              ? counts.new > 0
                ? ' Fix them and choose the file again, or import the valid rows only: the refused ones are left out.'
                : ' Nothing can be imported until a row is fixed.'
              : ''}
            {counts.unusual
              ? ` ${counts.unusual} ${counts.unusual === 1 ? 'value is' : 'values are'} far from the KPI's recent readings: check ${counts.unusual === 1 ? 'it' : 'them'} before importing.`
              : ''}
          </p>
          <div className="max-h-96 overflow-auto rounded-md border border-gray-200">
            <table className="min-w-full text-sm">
              <caption className="sr-only">Rows of {fileName}</caption>
              <thead className="sticky top-0 bg-gray-50 text-left text-xs uppercase tracking-wide text-gray-600">
                <tr>
                  <th scope="col" className="px-3 py-2">
                    Line
                  </th>
                  <th scope="col" className="px-3 py-2">
                    KPI
                  </th>
                  <th scope="col" className="hidden px-3 py-2 sm:table-cell">
                    Date
                  </th>
                  <th scope="col" className="hidden px-3 py-2 text-right sm:table-cell">
                    Value
                  </th>
                  <th scope="col" className="px-3 py-2">
                    Result
                  </th>
                </tr>
              </thead>
              <tbody>
                {preview.rows.map((row) => (
                  <tr
                    key={row.line}
                    className="border-t border-gray-100 align-top"
                    data-testid="import-row"
                  >
                    <td className="px-3 py-1.5 tabular-nums text-gray-600">{row.line}</td>
                    <td className="px-3 py-1.5">
                      <span className="font-medium text-gray-900">{row.kpiName ?? row.kpi}</span>
                      {row.kpiName ? (
                        <span className="block break-all text-xs text-gray-500">{row.kpi}</span>
                      ) : null}
                      <span className="block text-xs tabular-nums text-gray-600 sm:hidden">
                        {row.observedOn} · {row.value}
                      </span>
                    </td>
                    <td className="hidden whitespace-nowrap px-3 py-1.5 tabular-nums sm:table-cell">
                      {row.observedOn}
                    </td>
                    <td className="hidden whitespace-nowrap px-3 py-1.5 text-right tabular-nums sm:table-cell">
                      {row.value}
                    </td>
                    <td className={`px-3 py-1.5 ${STATUS[row.status].className}`}>
                      {STATUS[row.status].text}
                      {row.errors.map((e) => (
                        <span key={e} className="block text-xs">
                          {e}
                        </span>
                      ))}
                      {row.warnings.map((w) => (
                        <span
                          key={w}
                          className="block text-xs text-amber-800"
                          data-testid="import-warning"
                        >
                          Unusual: {w}
                        </span>
                      ))}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <button
            type="button"
            onClick={() => onImport(canImportValid)}
            disabled={!(canImport || canImportValid) || pending}
            className="rounded-md bg-indigo-600 px-4 py-2 text-sm font-medium text-white shadow-sm hover:bg-indigo-700 focus-visible:outline focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600 disabled:cursor-not-allowed disabled:bg-indigo-300"
          >
            {canImport
              ? `Import ${counts.new} ${counts.new === 1 ? 'check-in' : 'check-ins'}`
              : canImportValid
                ? `Import the ${counts.new} valid ${counts.new === 1 ? 'row' : 'rows'}, leave ${counts.error} out`
                : 'Nothing to import'}
          </button>
        </div>
      ) : null}
    </div>
  );
}
