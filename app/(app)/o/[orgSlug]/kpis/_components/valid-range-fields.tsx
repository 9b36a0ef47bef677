'use client';

import { Field } from '@/components/ui/field';
import type { MeasureUnit } from '@/lib/domain/format';
import { defaultValidRange } from '@/lib/domain/value-range';

/** A measure's default range as the form holds it (percent: "0" and "100"; else empty). */
export function rangeFields(measureUnit: MeasureUnit): { validMin: string; validMax: string } {
  const range = defaultValidRange(measureUnit);
  return { validMin: range.validMin ?? '', validMax: range.validMax ?? '' };
}

/** The two ends of the range: each one input of the same kind, told apart by these words. */
const ENDS = [
  {
    field: 'validMin',
    id: 'kpi-valid-min',
    label: 'Valid from (optional)',
    hint: 'Lowest value a reading may have; empty: no limit.',
  },
  {
    field: 'validMax',
    id: 'kpi-valid-max',
    label: 'Valid to (optional)',
    hint: 'Highest value; a percent KPI starts at 0 to 100.',
  },
] as const;

/**
 * "Valid from / to": the range a reading of the KPI must lie in (either side empty: unbounded).
 * Check-ins outside it are refused everywhere, with a message naming the range.
 */
export function ValidRangeFields({
  validMin,
  validMax,
  errors,
  onChange,
}: {
  validMin: string;
  validMax: string;
  errors: { validMin?: string | undefined; validMax?: string | undefined };
  onChange: (field: 'validMin' | 'validMax', text: string) => void;
}) {
  const values = { validMin, validMax };
  return (
    <div className="grid gap-4 sm:col-span-3 sm:grid-cols-3">
      {ENDS.map((end) => (
        <Field
          key={end.field}
          id={end.id}
          label={end.label}
          inputMode="decimal"
          autoComplete="off"
          value={values[end.field]}
          onChange={(e) => onChange(end.field, e.target.value)}
          error={errors[end.field]}
          hint={end.hint}
        />
      ))}
      <p className="self-center text-xs text-gray-600 sm:pt-5">
        Check-ins outside this range are refused, on every screen, in CSV imports and in the API.
      </p>
    </div>
  );
}
