'use client';

import { useState, type FormEvent } from 'react';
import { useSaved } from '@/components/layout/use-saved';
import { Button } from '@/components/ui/button';
import { Field } from '@/components/ui/field';
import { FormAlert } from '@/components/ui/form-alert';
import { resultFieldErrors, issueErrors } from '@/components/ui/form-errors';
import { updateKpiLimitsAction } from '@/lib/actions/kpi-quality';
import { updateKpiLimitsSchema } from '@/lib/validation/kpi-quality';

type Values = { maxKpisPerUnit: number; maxKpisPerPerson: number };

/** Edits the most active KPIs per unit and per person (validated by the shared schema). */
export function KpiLimitsForm({ orgSlug, initial }: { orgSlug: string; initial: Values }) {
  const afterSave = useSaved();
  const [values, setValues] = useState({
    maxKpisPerUnit: String(initial.maxKpisPerUnit),
    maxKpisPerPerson: String(initial.maxKpisPerPerson),
  });
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [alert, setAlert] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);
  const [saving, setSaving] = useState(false);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setSaved(false);
    setAlert(null);
    const toNumber = (v: string) => (v.trim() === '' ? Number.NaN : Number(v));
    const payload = {
      maxKpisPerUnit: toNumber(values.maxKpisPerUnit),
      maxKpisPerPerson: toNumber(values.maxKpisPerPerson),
    };
    const parsed = updateKpiLimitsSchema.safeParse(payload);
    if (!parsed.success) {
      setErrors(issueErrors(parsed.error));
      return;
    }
    setSaving(true);
    try {
      const result = await updateKpiLimitsAction(orgSlug, parsed.data);
      if (!result.ok) {
        setErrors(resultFieldErrors(result.error.fieldErrors));
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
    <form onSubmit={submit} noValidate className="space-y-4" aria-label="KPI limits">
      <FormAlert message={alert} />
      <div className="grid gap-4 sm:grid-cols-2">
        <Field
          label="Most KPIs per unit"
          type="number"
          min={1}
          max={1000}
          inputMode="numeric"
          value={values.maxKpisPerUnit}
          onChange={(e) => setValues((v) => ({ ...v, maxKpisPerUnit: e.target.value }))}
          error={errors.maxKpisPerUnit}
          hint="Active KPIs a department or team owns (default 7)."
        />
        <Field
          label="Most KPIs per person"
          type="number"
          min={1}
          max={1000}
          inputMode="numeric"
          value={values.maxKpisPerPerson}
          onChange={(e) => setValues((v) => ({ ...v, maxKpisPerPerson: e.target.value }))}
          error={errors.maxKpisPerPerson}
          hint="Active KPIs one person owns (default 5)."
        />
      </div>
      <div className="flex items-center justify-end gap-3">
        {saved ? (
          <p role="status" className="text-sm text-emerald-700">
            Saved.
          </p>
        ) : null}
        <Button type="submit" disabled={saving}>
          {saving ? 'Saving…' : 'Save limits'}
        </Button>
      </div>
    </form>
  );
}
