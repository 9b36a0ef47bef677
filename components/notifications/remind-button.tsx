'use client';

import { useState } from 'react';
import { Button } from '@/components/ui/button';
import { remindOwnerAction } from '@/lib/actions/notifications';
import type { RemindOwnerInput } from '@/lib/validation/notifications';

/**
 * "Remind": one nudge now to a KPI owner about their missing values (the server decides what is
 * still missing, who may remind whom, and what was reminded today already), then says what it did. Renders two items for the caller's `flex flex-wrap` row.
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
  // Two flex items of the caller's wrapping row: the button, and the answer on a line of its own.
  return (
    <>
      <Button
        type="button"
        variant="secondary"
        className="shrink-0 px-2.5 py-1 text-xs"
        disabled={busy}
        aria-label={`Remind ${ownerName}`}
        onClick={async () => {
          setBusy(true);
          try {
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
      {message ? (
        <p
          role="status"
          data-testid="remind-result"
          className={`basis-full text-xs ${message.ok ? 'text-emerald-700' : 'text-amber-800'}`}
        >
          {message.text}
        </p>
      ) : null}
    </>
  );
}
