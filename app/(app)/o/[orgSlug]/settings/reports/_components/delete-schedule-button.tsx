'use client';

import { ConfirmActionButton } from '@/components/ui/confirm-action-button';
import { deleteReportScheduleAction } from '@/lib/actions/reports';

/** Deletes one report schedule after a confirmation. */
export function DeleteScheduleButton({
  orgSlug,
  scheduleId,
  label,
}: {
  orgSlug: string;
  scheduleId: string;
  label: string;
}) {
  return (
    <ConfirmActionButton
      ariaLabel={`Delete schedule ${label}`}
      confirm={`Stop sending "${label}"?`}
      run={() => deleteReportScheduleAction(orgSlug, { scheduleId })}
    >
      Delete
    </ConfirmActionButton>
  );
}
