'use client';

import { useState, useTransition } from 'react';
import { useSaved } from '@/components/layout/use-saved';
import { Button } from '@/components/ui/button';
import { FormAlert } from '@/components/ui/form-alert';
import { MemberPicker, type MemberChoice } from '@/components/people/member-picker';
import { transferOwnershipAction } from '@/lib/actions/people';

/**
 * The owner hands ownership to another member and becomes an admin. The new owner is searched
 * by name or email as one types (a large organization has thousands of members); the owner is
 * left out of the matches.
 */
export function TransferOwnershipForm({
  orgSlug,
  selfUserId,
}: {
  orgSlug: string;
  selfUserId: string;
}) {
  const afterSave = useSaved();
  const [chosen, setChosen] = useState<MemberChoice | null>(null);
  const [confirming, setConfirming] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();

  return (
    <div className="space-y-3">
      <FormAlert message={error} />
      <div className="flex flex-col gap-3 sm:flex-row sm:items-end">
        <MemberPicker
          orgSlug={orgSlug}
          exclude={selfUserId}
          className="min-w-0 flex-1"
          label="New owner"
          placeholder="Type a member's name or email"
          selectedLabel={chosen ? `${chosen.name} (${chosen.email})` : ''}
          onPick={(c) => {
            setChosen(c);
            setConfirming(false);
          }}
        />
        {!confirming ? (
          <Button
            type="button"
            variant="secondary"
            disabled={!chosen}
            onClick={() => setConfirming(true)}
          >
            Transfer ownership
          </Button>
        ) : null}
      </div>
      {confirming && chosen ? (
        <div className="rounded-md border border-red-200 bg-red-50 p-3 text-sm">
          <p className="text-red-800">
            Make {chosen.name} the owner? You become an admin and can no longer delete the
            organization or transfer it.
          </p>
          <div className="mt-2 flex flex-wrap gap-2">
            <Button
              type="button"
              variant="danger"
              disabled={pending}
              onClick={() =>
                startTransition(async () => {
                  setError(null);
                  const result = await transferOwnershipAction(orgSlug, { userId: chosen.userId });
                  if (!result.ok) {
                    setError(result.error.message);
                    setConfirming(false);
                    return;
                  }
                  setConfirming(false);
                  setChosen(null);
                  void afterSave();
                })
              }
            >
              {pending ? 'Transferring…' : `Make ${chosen.name} owner`}
            </Button>
            <Button type="button" variant="secondary" onClick={() => setConfirming(false)}>
              Cancel
            </Button>
          </div>
        </div>
      ) : null}
    </div>
  );
}
