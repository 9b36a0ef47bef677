'use client';

import { useState, type FormEvent } from 'react';
import { useSaved } from '@/components/layout/use-saved';
import { useOrgLocale } from '@/components/locale/org-locale';
import { Button } from '@/components/ui/button';
import { ConfirmActionButton } from '@/components/ui/confirm-action-button';
import { FormAlert, FormStatus } from '@/components/ui/form-alert';
import { resultFieldErrors } from '@/components/ui/form-errors';
import {
  deleteKpiSqlPullAction,
  previewKpiSqlPullAction,
  runKpiSqlPullAction,
  saveKpiSqlPullAction,
} from '@/lib/actions/sql-sources';
import type { KpiSqlPullDto } from '@/lib/dal/sql-sources/pulls';
import type { SqlPullPreview } from '@/lib/dal/sql-sources/run-pull';
import { formatInstant } from '@/lib/domain/dates';
import type { PullSchedule } from '@/lib/domain/sql-pull';
import type { Result } from '@/lib/result';

const inputClass =
  'mt-1 block w-full rounded-md border border-gray-300 px-3 py-2 text-sm shadow-sm focus:border-indigo-500 focus:outline-none focus:ring-1 focus:ring-indigo-500';

const EXAMPLE = 'select day, amount from kpi_values where day >= current_date - 400';

/**
 * A KPI's pull from a SQL source: choose a source, write the query returning (date, value),
 * preview it against the source, save it with a schedule, pull now, stop. The server checks
 * everything again (the same permission as the KPI's edit form).
 */
export function SqlPullPanel({
  orgSlug,
  kpiId,
  sources,
  pull,
  timeZone,
  settingsHref,
}: {
  orgSlug: string;
  kpiId: string;
  sources: { id: string; name: string; host: string; database: string }[];
  pull: KpiSqlPullDto | null;
  timeZone: string;
  /** Where sources are registered, for those who may (else null). */
  settingsHref: string | null;
}) {
  const afterSave = useSaved();
  const locale = useOrgLocale();
  const [sourceId, setSourceId] = useState(pull?.sourceId ?? sources[0]?.id ?? '');
  const [query, setQuery] = useState(pull?.query ?? '');
  const [schedule, setSchedule] = useState<PullSchedule>(pull?.schedule ?? 'daily');
  const [preview, setPreview] = useState<SqlPullPreview | null>(null);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [alert, setAlert] = useState<string | null>(null);
  const [status, setStatus] = useState<string | null>(null);
  const [busy, setBusy] = useState<null | 'preview' | 'save' | 'pull'>(null);

  if (sources.length === 0) {
    return (
      <p className="p-4 text-sm text-gray-600">
        No SQL source yet.{' '}
        {settingsHref ? (
          <a href={settingsHref} className="font-medium text-indigo-700 hover:underline">
            Register one in Settings → SQL sources
          </a>
        ) : (
          'An admin registers one in Settings → SQL sources.'
        )}
      </p>
    );
  }

  async function run<T>(
    kind: 'preview' | 'save' | 'pull',
    call: () => Promise<Result<T>>,
    done: (data: T) => void,
  ) {
    setBusy(kind);
    setAlert(null);
    setStatus(null);
    try {
      const result = await call();
      if (!result.ok) {
        setErrors(resultFieldErrors(result.error.fieldErrors));
        setAlert(result.error.message);
        return;
      }
      setErrors({});
      done(result.data);
    } finally {
      setBusy(null);
    }
  }

  function onPreview() {
    setPreview(null);
    void run(
      'preview',
      () => previewKpiSqlPullAction(orgSlug, { kpiId, sourceId, query }),
      setPreview,
    );
  }

  function onSave(e: FormEvent) {
    e.preventDefault();
    void run(
      'save',
      () => saveKpiSqlPullAction(orgSlug, { kpiId, sourceId, query, schedule }),
      () => {
        setStatus('Saved: the first pull runs within a few minutes, or pull now.');
        void afterSave();
      },
    );
  }

  function onPullNow() {
    void run(
      'pull',
      () => runKpiSqlPullAction(orgSlug, { kpiId }),
      (outcome) => {
        if (outcome.status === 'ok') {
          setStatus(
            `Pulled: ${outcome.rowsRead} ${outcome.rowsRead === 1 ? 'row' : 'rows'} read, ${outcome.rowsWritten} written.`,
          );
        } else {
          setAlert(`The pull failed, nothing was written: ${outcome.error ?? ''}`);
        }
        void afterSave();
      },
    );
  }

  const last = pull?.lastRun ?? null;
  // The scheduler looks every five minutes: a time already past is "due now".
  const next = (p: KpiSqlPullDto) => (p.due ? 'due now' : formatInstant(p.nextRunAt, timeZone, locale, { year: false }));
  return (
    <form
      onSubmit={onSave}
      noValidate
      className="space-y-4 p-4"
      aria-label="Pull from a SQL source"
    >
      {pull ? (
        <p
          data-testid="sql-pull-status"
          className={`break-words text-sm ${last?.status === 'failed' ? 'text-red-700' : 'text-gray-700'}`}
        >
          {last === null
            ? `Not pulled yet; next pull ${next(pull)}.`
            : last.status === 'failed'
              ? `Last pull failed at ${formatInstant(last.finishedAt, timeZone, locale, { year: false })}: ${last.error ?? ''}`
              : `Last pulled at ${formatInstant(last.finishedAt, timeZone, locale, { year: false })}: ${last.rowsRead} rows read, ${last.rowsWritten} written. Next pull ${next(pull)}.`}
        </p>
      ) : null}
      <FormAlert message={alert} />
      <div className="grid gap-4 sm:grid-cols-2">
        <div>
          <label htmlFor="sql-pull-source" className="block text-sm font-medium text-gray-700">
            Source
          </label>
          <select
            id="sql-pull-source"
            className={inputClass}
            value={sourceId}
            onChange={(e) => {
              setSourceId(e.target.value);
              setPreview(null); // a preview shows the query and source it ran
            }}
          >
            {sources.map((s) => (
              <option key={s.id} value={s.id}>
                {s.name} ({s.database} on {s.host})
              </option>
            ))}
          </select>
        </div>
        <div>
          <label htmlFor="sql-pull-schedule" className="block text-sm font-medium text-gray-700">
            Pull
          </label>
          <select
            id="sql-pull-schedule"
            className={inputClass}
            value={schedule}
            onChange={(e) => setSchedule(e.target.value as PullSchedule)}
          >
            <option value="hourly">Every hour</option>
            <option value="daily">Every day</option>
            <option value="weekly">Every week</option>
          </select>
        </div>
      </div>
      <div>
        <label htmlFor="sql-pull-query" className="block text-sm font-medium text-gray-700">
          Query
        </label>
        <textarea
          id="sql-pull-query"
          rows={4}
          spellCheck={false}
          className={`${inputClass} font-mono`}
          placeholder={EXAMPLE}
          value={query}
          onChange={(e) => {
            setQuery(e.target.value);
            setPreview(null);
          }}
          aria-invalid={errors.query ? true : undefined}
          aria-describedby={errors.query ? 'sql-pull-query-error' : 'sql-pull-query-hint'}
        />
        {errors.query ? (
          <p id="sql-pull-query-error" className="mt-1 break-words text-sm text-red-600">
            {errors.query}
          </p>
        ) : (
          <p id="sql-pull-query-hint" className="mt-1 text-xs text-gray-500">
            One SELECT returning two columns: a date and a value, one row a date. Each row becomes
            the KPI&apos;s reading of that date; a changed value corrects it.
          </p>
        )}
      </div>
      <div className="flex flex-wrap items-center gap-3">
        <Button type="button" variant="secondary" onClick={onPreview} disabled={busy !== null}>
          {busy === 'preview' ? 'Running…' : 'Preview'}
        </Button>
        <Button type="submit" disabled={busy !== null}>
          {busy === 'save' ? 'Saving…' : pull ? 'Save changes' : 'Save pull'}
        </Button>
        {pull ? (
          <Button type="button" variant="secondary" onClick={onPullNow} disabled={busy !== null}>
            {busy === 'pull' ? 'Pulling…' : 'Pull now'}
          </Button>
        ) : null}
        {pull ? (
          <ConfirmActionButton
            ariaLabel="Stop pulling"
            confirm="Stop pulling this KPI? The values pulled so far stay."
            run={() => deleteKpiSqlPullAction(orgSlug, { kpiId })}
          >
            Stop pulling
          </ConfirmActionButton>
        ) : null}
        <FormStatus message={status} />
      </div>
      {preview ? (
        <div data-testid="sql-pull-preview" className="space-y-2">
          <p className="text-sm text-gray-700">
            {preview.rowCount} {preview.rowCount === 1 ? 'row' : 'rows'}
            {preview.rows.length < preview.rowCount ? `, the first ${preview.rows.length}:` : ':'}
          </p>
          {preview.problems.length > 0 ? (
            <ul className="list-disc space-y-1 pl-5 text-sm text-red-700" aria-label="Problems">
              {preview.problems.map((p) => (
                <li key={p} className="break-words">
                  {p}
                </li>
              ))}
            </ul>
          ) : null}
          {preview.rows.length > 0 ? (
            <div className="max-h-72 overflow-auto rounded-md border border-gray-200">
              <table className="w-full text-sm">
                <thead className="bg-gray-50 text-xs uppercase text-gray-500">
                  <tr>
                    <th scope="col" className="px-3 py-1.5 text-left font-medium">
                      Date
                    </th>
                    <th scope="col" className="px-3 py-1.5 text-right font-medium">
                      Value
                    </th>
                  </tr>
                </thead>
                <tbody className="divide-y divide-gray-100">
                  {preview.rows.map((r) => (
                    <tr key={r.observedOn}>
                      <td className="px-3 py-1.5 tabular-nums">{r.observedOn}</td>
                      <td className="px-3 py-1.5 text-right tabular-nums">{r.value}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          ) : null}
        </div>
      ) : null}
    </form>
  );
}
