'use client';

import { useState } from 'react';
import { useSaved } from '@/components/layout/use-saved';
import { Button } from '@/components/ui/button';
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
  const afterSave = useSaved();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  return (
    <div className="flex items-center gap-2">
      {error ? <p className="text-xs text-red-700">{error}</p> : null}
      <Button
        type="button"
        variant="secondary"
        className="px-3 py-1.5"
        disabled={busy}
        aria-label={`Delete schedule ${label}`}
        onClick={async () => {
          if (!window.confirm(`Stop sending "${label}"?`)) return;
          setBusy(true);
          const result = await deleteReportScheduleAction(orgSlug, { scheduleId });
          setBusy(false);
          if (!result.ok) setError(result.error.message);
          else void afterSave();
        }}
      >
        Delete
      </Button>
    </div>
  );
}
