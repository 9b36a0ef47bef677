'use client';

import { useState, type FormEvent } from 'react';
import { Button } from '@/components/ui/button';
import { saveKpiTemplateAction } from '@/lib/actions/kpi-quality';
import {
  DEPARTMENT_LABELS,
  TEMPLATE_DEPARTMENTS,
  type TemplateDepartment,
} from '@/lib/domain/kpi-templates';
import { SelectField } from './form-controls';

/** Saves this KPI's definition to the organization's template library. */
export function SaveTemplateForm({
  orgSlug,
  kpiId,
  kpiName,
}: {
  orgSlug: string;
  kpiId: string;
  kpiName: string;
}) {
  const [department, setDepartment] = useState<TemplateDepartment>('executive');
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const [saving, setSaving] = useState(false);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setSaving(true);
    setMessage(null);
    try {
      const result = await saveKpiTemplateAction(orgSlug, { kpiId, department });
      setMessage(
        result.ok
          ? { ok: true, text: `Saved "${kpiName}" to your templates.` }
          : { ok: false, text: result.error.message },
      );
    } finally {
      setSaving(false);
    }
  }

  return (
    <form
      onSubmit={submit}
      className="flex flex-wrap items-end gap-3"
      aria-label="Save as template"
    >
      <SelectField
        label="Template group"
        value={department}
        onChange={(e) => setDepartment(e.target.value as TemplateDepartment)}
        className="min-w-48"
      >
        {TEMPLATE_DEPARTMENTS.map((d) => (
          <option key={d} value={d}>
            {DEPARTMENT_LABELS[d]}
          </option>
        ))}
      </SelectField>
      <Button type="submit" variant="secondary" disabled={saving}>
        {saving ? 'Saving…' : 'Save as template'}
      </Button>
      {message ? (
        <p
          role="status"
          className={`w-full text-sm ${message.ok ? 'text-emerald-700' : 'text-red-700'}`}
        >
          {message.text}
        </p>
      ) : null}
    </form>
  );
}
