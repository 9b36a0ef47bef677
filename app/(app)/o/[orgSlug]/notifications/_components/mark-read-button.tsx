'use client';

import { useState } from 'react';
import { useSaved } from '@/components/layout/use-saved';
import { Button } from '@/components/ui/button';
import { markNotificationsReadAction } from '@/lib/actions/notifications';

/**
 * Marks one notification read, or (without `id`) all of mine in this organization. `label`, the
 * accessible name, must begin with the visible text ("Mark read", "Mark all read": WCAG 2.5.3).
 */
export function MarkReadButton({
  orgSlug,
  id,
  label,
}: {
  orgSlug: string;
  id?: string;
  label: string;
}) {
  const afterSave = useSaved();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  return (
    <div className="flex items-center gap-2">
      {error ? (
        <p role="alert" className="text-xs text-red-700">
          {error}
        </p>
      ) : null}
      <Button
        type="button"
        variant={id ? 'ghost' : 'secondary'}
        className="px-3 py-1.5"
        disabled={busy}
        aria-label={label}
        onClick={async () => {
          setBusy(true);
          setError(null);
          const result = await markNotificationsReadAction(
            orgSlug,
            id ? { ids: [id] } : { all: true },
          );
          setBusy(false);
          if (!result.ok) setError(result.error.message);
          else void afterSave();
        }}
      >
        {id ? 'Mark read' : 'Mark all read'}
      </Button>
    </div>
  );
}
