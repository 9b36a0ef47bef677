'use client';

import { useState } from 'react';
import { useSaved } from '@/components/layout/use-saved';
import { Button } from '@/components/ui/button';
import type { Result } from '@/lib/result';

/** A small button that asks `confirm` first, then runs a server action and refreshes the page. */
export function ConfirmActionButton({
  children,
  ariaLabel,
  confirm,
  run,
}: {
  children: string;
  ariaLabel: string;
  confirm: string;
  run: () => Promise<Result<unknown>>;
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
        aria-label={ariaLabel}
        onClick={async () => {
          if (!window.confirm(confirm)) return;
          setBusy(true);
          const result = await run();
          setBusy(false);
          if (!result.ok) setError(result.error.message);
          else void afterSave();
        }}
      >
        {children}
      </Button>
    </div>
  );
}
