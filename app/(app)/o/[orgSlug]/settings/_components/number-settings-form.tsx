'use client';

import { useState, type FormEvent } from 'react';
import type { z } from 'zod';
import { Button } from '@/components/ui/button';
import { Field } from '@/components/ui/field';
import { FormAlert } from '@/components/ui/form-alert';
import { useActionForm } from '@/components/ui/use-action-form';
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
  const [values, setValues] = useState<Record<string, string>>(() =>
    Object.fromEntries(fields.map((f) => [f.name, String(initial[f.name])])),
  );
  const form = useActionForm({
    schema,
    action: (input) => action(orgSlug, input as Record<K, number>),
  });
  const { errors, alert, saved, saving } = form;

  function submit(e: FormEvent) {
    e.preventDefault();
    const toNumber = (v: string | undefined) =>
      v === undefined || v.trim() === '' ? Number.NaN : Number(v);
    void form.submit(
      Object.fromEntries(fields.map((f) => [f.name, toNumber(values[f.name])])) as Record<
        K,
        number
      >,
    );
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
