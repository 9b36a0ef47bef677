'use client';

import { useState } from 'react';
import { useSaved } from '@/components/layout/use-saved';
import { Button } from '@/components/ui/button';
import { deleteKpiTemplateAction } from '@/lib/actions/kpi-quality';

/** Removes one of the organization's templates after a confirmation. */
export function DeleteTemplateButton({
  orgSlug,
  templateId,
  name,
}: {
  orgSlug: string;
  templateId: string;
  name: string;
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
        aria-label={`Remove template ${name}`}
        onClick={async () => {
          if (!window.confirm(`Remove the template "${name}"?`)) return;
          setBusy(true);
          const result = await deleteKpiTemplateAction(orgSlug, { templateId });
          setBusy(false);
          if (!result.ok) setError(result.error.message);
          else void afterSave();
        }}
      >
        Remove
      </Button>
    </div>
  );
}
