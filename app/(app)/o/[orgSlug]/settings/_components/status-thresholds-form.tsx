'use client';

import { updateStatusThresholdsAction } from '@/lib/actions/org-settings';
import {
  MAX_GRADE_AFTER_PERCENT,
  MAX_THRESHOLD_PERCENT,
  MIN_THRESHOLD_PERCENT,
} from '@/lib/domain/org-settings';
import { updateStatusThresholdsSchema } from '@/lib/validation/org-settings';
import { NumberSettingsForm } from './number-settings-form';

type Values = { onTrackPercent: number; atRiskPercent: number; gradeAfterPercent: number };

/**
 * Edits the status thresholds as percentages of the target, and when flows in an open period
 * start to be graded (validated by the shared schema).
 */
export function StatusThresholdsForm({ orgSlug, initial }: { orgSlug: string; initial: Values }) {
  return (
    <NumberSettingsForm
      orgSlug={orgSlug}
      initial={initial}
      schema={updateStatusThresholdsSchema}
      action={updateStatusThresholdsAction}
      ariaLabel="Status thresholds"
      submitLabel="Save thresholds"
      fields={[
        {
          name: 'onTrackPercent',
          label: 'On track at (% of target)',
          min: MIN_THRESHOLD_PERCENT,
          max: MAX_THRESHOLD_PERCENT,
          hint: 'Progress at or above this is on track (default 100).',
        },
        {
          name: 'atRiskPercent',
          label: 'At risk at (% of target)',
          min: MIN_THRESHOLD_PERCENT,
          max: MAX_THRESHOLD_PERCENT,
          hint: 'At or above this, below on track, is at risk; lower is off track (default 85).',
        },
        {
          name: 'gradeAfterPercent',
          label: 'Grade flows after (% of the period)',
          min: 0,
          max: MAX_GRADE_AFTER_PERCENT,
          hint: "Until this share of an open period has passed, a flow shows 'in progress' with its pace instead of a status (default 33).",
        },
      ]}
    />
  );
}
