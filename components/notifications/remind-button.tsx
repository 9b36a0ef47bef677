'use client';

import { useState } from 'react';
import { Button } from '@/components/ui/button';
import { remindOwnerAction } from '@/lib/actions/notifications';
import type { RemindOwnerInput } from '@/lib/validation/notifications';

/**
 * "Remind": one nudge now to a KPI owner about their missing values (the server decides what is
 * still missing, who may remind whom, and what was reminded today already), then says what it did.
 */
export function RemindButton({
  orgSlug,
  ownerName,
  input,
}: {
  orgSlug: string;
  ownerName: string;
  input: RemindOwnerInput;
}) {
  const [message, setMessage] = useState<{ text: string; ok: boolean } | null>(null);
  const [busy, setBusy] = useState(false);
  return (
    <span className="inline-flex flex-wrap items-center justify-end gap-2">
      {message ? (
        <span
          role="status"
          data-testid="remind-result"
          className={`text-xs ${message.ok ? 'text-emerald-700' : 'text-amber-800'}`}
        >
          {message.text}
        </span>
      ) : null}
      <Button
        type="button"
        variant="secondary"
        className="px-2.5 py-1 text-xs"
        disabled={busy}
        aria-label={`Remind ${ownerName}`}
        onClick={async () => {
          setBusy(true);
          try {
            // Nothing on the page changes (the notification is the owner's): no refresh.
            const result = await remindOwnerAction(orgSlug, input);
            setMessage(
              result.ok
                ? { text: result.data.message, ok: result.data.status === 'sent' }
                : { text: result.error.message, ok: false },
            );
          } finally {
            setBusy(false);
          }
        }}
      >
        {busy ? 'Sending…' : 'Remind'}
      </Button>
    </span>
  );
}
