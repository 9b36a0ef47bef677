'use client';

import { useId, useState, type FormEvent, type ReactNode } from 'react';
import { useSaved } from '@/components/layout/use-saved';
import { Button } from '@/components/ui/button';
import { Field } from '@/components/ui/field';
import { FormAlert } from '@/components/ui/form-alert';
import { issueErrors, resultFieldErrors } from '@/components/ui/form-errors';
import {
  previewOrgGeneralSettingsAction,
  updateOrgGeneralSettingsAction,
} from '@/lib/actions/org-settings';
import {
  LOCALE_LABELS,
  localeSample,
  MONTH_NAMES,
  ORG_LOCALES,
  type OrgLocale,
} from '@/lib/domain/org-settings';
import { updateOrgGeneralSchema, type UpdateOrgGeneralInput } from '@/lib/validation/org-settings';

type Values = { name: string; timeZone: string; fyStartMonth: number; locale: OrgLocale };

function Select({
  label,
  hint,
  error,
  value,
  onChange,
  children,
}: {
  label: string;
  hint?: string;
  error?: string | undefined;
  value: string;
  onChange: (value: string) => void;
  children: ReactNode;
}) {
  const id = useId();
  return (
    <div>
      <label htmlFor={id} className="block text-sm font-medium text-gray-700">
        {label}
      </label>
      <select
        id={id}
        value={value}
        onChange={(e) => onChange(e.target.value)}
        aria-invalid={error ? true : undefined}
        aria-describedby={error || hint ? `${id}-note` : undefined}
        className={`mt-1 block w-full rounded-md border bg-white px-3 py-2 text-sm shadow-sm focus:border-indigo-500 focus:outline-none focus:ring-1 focus:ring-indigo-500 ${
          error ? 'border-red-400' : 'border-gray-300'
        }`}
      >
        {children}
      </select>
      {error || hint ? (
        <p
          id={`${id}-note`}
          className={error ? 'mt-1 text-sm text-red-600' : 'mt-1 text-xs text-gray-500'}
        >
          {error ?? hint}
        </p>
      ) : null}
    </div>
  );
}

/**
 * Name, time zone (searchable), fiscal-year start and locale. A change of fiscal year or time
 * zone is previewed first (what will be recomputed) and saved only when confirmed.
 */
export function GeneralSettingsForm({
  orgSlug,
  initial,
  timeZones,
}: {
  orgSlug: string;
  initial: Values;
  timeZones: readonly string[];
}) {
  const afterSave = useSaved();
  const listId = useId();
  const [saved, setSavedValues] = useState<Values>(initial);
  const [values, setValues] = useState<Values>(initial);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [alert, setAlert] = useState<string | null>(null);
  const [status, setStatus] = useState<string | null>(null);
  const [preview, setPreview] = useState<{ input: UpdateOrgGeneralInput; lines: string[] } | null>(
    null,
  );
  const [busy, setBusy] = useState(false);

  const set = <K extends keyof Values>(key: K, value: Values[K]) => {
    setPreview(null);
    setStatus(null);
    setValues((v) => ({ ...v, [key]: value }));
  };

  async function apply(input: UpdateOrgGeneralInput) {
    const result = await updateOrgGeneralSettingsAction(orgSlug, input);
    if (!result.ok) {
      setErrors(resultFieldErrors(result.ok ? undefined : result.error.fieldErrors));
      setAlert(result.error.message);
      setPreview(null);
      return;
    }
    setErrors({});
    setPreview(null);
    setSavedValues(input);
    setStatus(
      result.data.periodValues === null
        ? 'Saved.'
        : `Saved. ${result.data.periodValues} period values were recomputed.`,
    );
    void afterSave();
  }

  async function submit(e: FormEvent) {
    e.preventDefault();
    setAlert(null);
    setStatus(null);
    const parsed = updateOrgGeneralSchema.safeParse(values);
    if (!parsed.success) {
      setErrors(issueErrors(parsed.error));
      return;
    }
    setBusy(true);
    try {
      const input = parsed.data;
      const recomputes =
        input.fyStartMonth !== saved.fyStartMonth || input.timeZone !== saved.timeZone;
      if (!recomputes) {
        await apply(input);
        return;
      }
      const result = await previewOrgGeneralSettingsAction(orgSlug, input);
      if (!result.ok) {
        setErrors(resultFieldErrors(result.ok ? undefined : result.error.fieldErrors));
        setAlert(result.error.message);
        return;
      }
      setErrors({});
      setPreview({ input, lines: result.data.summary });
    } finally {
      setBusy(false);
    }
  }

  async function confirm() {
    if (!preview) return;
    setBusy(true);
    try {
      await apply(preview.input);
    } finally {
      setBusy(false);
    }
  }

  return (
    <form onSubmit={submit} noValidate className="space-y-4" aria-label="Organization">
      <FormAlert message={alert} />
      <div className="grid gap-4 sm:grid-cols-2">
        <Field
          label="Organization name"
          value={values.name}
          onChange={(e) => set('name', e.target.value)}
          error={errors.name}
          maxLength={100}
          autoComplete="organization"
        />
        <Field
          label="Time zone"
          list={listId}
          value={values.timeZone}
          onChange={(e) => set('timeZone', e.target.value)}
          error={errors.timeZone}
          hint='Type to search, such as "Berlin" or "America/".'
          autoComplete="off"
          spellCheck={false}
        />
        <datalist id={listId}>
          {timeZones.map((z) => (
            <option key={z} value={z} />
          ))}
        </datalist>
        <Select
          label="Fiscal year starts in"
          value={String(values.fyStartMonth)}
          onChange={(v) => set('fyStartMonth', Number(v))}
          error={errors.fyStartMonth}
          hint="Quarters and years follow it."
        >
          {MONTH_NAMES.map((m, i) => (
            <option key={m} value={i + 1}>
              {m}
            </option>
          ))}
        </Select>
        <Select
          label="Locale for numbers, currencies and dates"
          value={values.locale}
          onChange={(v) => set('locale', v as OrgLocale)}
          error={errors.locale}
          hint={`Writes numbers and dates as ${localeSample(values.locale)}.`}
        >
          {ORG_LOCALES.map((l) => (
            <option key={l} value={l}>
              {LOCALE_LABELS[l]}
            </option>
          ))}
        </Select>
      </div>

      {preview ? (
        <div
          className="space-y-2 rounded-md border border-amber-300 bg-amber-50 px-3 py-3 text-sm text-amber-900"
          data-testid="settings-preview"
          aria-live="polite"
        >
          <p className="font-medium">Before you save</p>
          {preview.lines.map((line) => (
            <p key={line}>{line}</p>
          ))}
          <div className="flex flex-wrap justify-end gap-2 pt-1">
            <Button type="button" variant="secondary" onClick={() => setPreview(null)}>
              Cancel
            </Button>
            <Button type="button" onClick={confirm} disabled={busy}>
              {busy ? 'Saving…' : 'Apply changes'}
            </Button>
          </div>
        </div>
      ) : null}

      <div className="flex items-center justify-end gap-3">
        <p aria-live="polite" className="text-sm text-emerald-700">
          {status ? <span role="status">{status}</span> : null}
        </p>
        {preview ? null : (
          <Button type="submit" disabled={busy}>
            {busy ? 'Checking…' : 'Save organization'}
          </Button>
        )}
      </div>
    </form>
  );
}
