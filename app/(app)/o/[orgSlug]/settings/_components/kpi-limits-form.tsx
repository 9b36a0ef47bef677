'use client';

import { updateKpiLimitsAction } from '@/lib/actions/kpi-quality';
import { updateKpiLimitsSchema } from '@/lib/validation/kpi-quality';
import { NumberSettingsForm } from './number-settings-form';

type Values = { maxKpisPerUnit: number; maxKpisPerPerson: number };

/** Edits the most active KPIs per unit and per person (validated by the shared schema). */
export function KpiLimitsForm({ orgSlug, initial }: { orgSlug: string; initial: Values }) {
  return (
    <NumberSettingsForm
      orgSlug={orgSlug}
      initial={initial}
      schema={updateKpiLimitsSchema}
      action={updateKpiLimitsAction}
      ariaLabel="KPI limits"
      submitLabel="Save limits"
      fields={[
        {
          name: 'maxKpisPerUnit',
          label: 'Most KPIs per unit',
          min: 1,
          max: 1000,
          hint: 'Active KPIs a department or team owns (default 7).',
        },
        {
          name: 'maxKpisPerPerson',
          label: 'Most KPIs per person',
          min: 1,
          max: 1000,
          hint: 'Active KPIs one person owns (default 5).',
        },
      ]}
    />
  );
}
