'use client';

import { useState, type FormEvent } from 'react';
import type { z } from 'zod';
import { useSaved } from '@/components/layout/use-saved';
import { Button } from '@/components/ui/button';
import { Field } from '@/components/ui/field';
import { FormAlert } from '@/components/ui/form-alert';
import { issueErrors, resultFieldErrors } from '@/components/ui/form-errors';
import type { Result } from '@/lib/result';

/** One whole-number setting of the form. */
export type NumberSetting<K extends string> = {
  name: K;
  label: string;
  min: number;
  max: number;
  hint: string;
};

/**
 * A settings form of whole numbers (KPI limits, reminder days): checked with the action's own
 * zod schema before sending, the server's field errors shown under their inputs, "Saved." after.
 */
export function NumberSettingsForm<K extends string>({
  orgSlug,
  initial,
  fields,
  schema,
  action,
  ariaLabel,
  submitLabel,
}: {
  orgSlug: string;
  initial: Record<K, number>;
  fields: readonly NumberSetting<K>[];
  schema: z.ZodType<Record<K, number>>;
  action: (orgSlug: string, input: Record<K, number>) => Promise<Result<unknown>>;
  ariaLabel: string;
  submitLabel: string;
}) {
  const afterSave = useSaved();
  const [values, setValues] = useState<Record<string, string>>(() =>
    Object.fromEntries(fields.map((f) => [f.name, String(initial[f.name])])),
  );
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [alert, setAlert] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);
  const [saving, setSaving] = useState(false);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setSaved(false);
    setAlert(null);
    const toNumber = (v: string | undefined) =>
      v === undefined || v.trim() === '' ? Number.NaN : Number(v);
    const parsed = schema.safeParse(
      Object.fromEntries(fields.map((f) => [f.name, toNumber(values[f.name])])),
    );
    if (!parsed.success) {
      setErrors(issueErrors(parsed.error));
      return;
    }
    setSaving(true);
    try {
      const result = await action(orgSlug, parsed.data);
      if (!result.ok) {
        setErrors(resultFieldErrors(result.ok ? undefined : result.error.fieldErrors));
        setAlert(result.error.message);
        return;
      }
      setErrors({});
      setSaved(true);
      void afterSave();
    } finally {
      setSaving(false);
    }
  }

  return (
    <form onSubmit={submit} noValidate className="space-y-4" aria-label={ariaLabel}>
      <FormAlert message={alert} />
      <div className="grid gap-4 sm:grid-cols-2">
        {fields.map((f) => (
          <Field
            key={f.name}
            label={f.label}
            type="number"
            min={f.min}
            max={f.max}
            inputMode="numeric"
            value={values[f.name] ?? ''}
            onChange={(e) => setValues((v) => ({ ...v, [f.name]: e.target.value }))}
            error={errors[f.name]}
            hint={f.hint}
          />
        ))}
      </div>
      <div className="flex items-center justify-end gap-3">
        {saved ? (
          <p role="status" className="text-sm text-emerald-700">
            Saved.
          </p>
        ) : null}
        <Button type="submit" disabled={saving}>
          {saving ? 'Saving…' : submitLabel}
        </Button>
      </div>
    </form>
  );
}
