'use client';

import { useState, useTransition } from 'react';
import { useSaved } from '@/components/layout/use-saved';
import { Button } from '@/components/ui/button';
import { revokeInvitationAction } from '@/lib/actions/people';

/** Withdraws an open invitation: its link stops working at once. */
export function RevokeInvitationButton({ orgSlug, invitationId, email }: { orgSlug: string; invitationId: string; email: string }) {
  const afterSave = useSaved();
  const [error, setError] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();
  return (
    <div className="sm:text-right">
      <Button
        type="button"
        variant="ghost"
        className="px-3 text-red-700 hover:bg-red-50"
        aria-label={`Revoke invitation for ${email}`}
        disabled={pending}
        onClick={() =>
          startTransition(async () => {
            setError(null);
            const result = await revokeInvitationAction(orgSlug, { invitationId });
            if (!result.ok) setError(result.error.message);
            void afterSave();
          })
        }
      >
        {pending ? 'Revoking…' : 'Revoke'}
      </Button>
      {error ? (
        <p role="alert" className="mt-1 text-xs text-red-600">
          {error}
        </p>
      ) : null}
    </div>
  );
}
