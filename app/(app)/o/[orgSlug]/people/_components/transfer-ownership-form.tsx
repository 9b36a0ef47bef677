'use client';

import { useId, useState, useTransition } from 'react';
import { useSaved } from '@/components/layout/use-saved';
import { Button } from '@/components/ui/button';
import { FormAlert } from '@/components/ui/form-alert';
import { transferOwnershipAction } from '@/lib/actions/people';
import { Select } from './unit-select';

/** The owner hands ownership to another member and becomes an admin. */
export function TransferOwnershipForm({
  orgSlug,
  candidates,
}: {
  orgSlug: string;
  candidates: readonly { userId: string; name: string; email: string }[];
}) {
  const afterSave = useSaved();
  const selectId = useId();
  const [target, setTarget] = useState('');
  const [confirming, setConfirming] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();
  const chosen = candidates.find((c) => c.userId === target);

  return (
    <div className="space-y-3">
      <FormAlert message={error} />
      <div className="flex flex-col gap-3 sm:flex-row sm:items-end">
        <div className="min-w-0 flex-1">
          <label htmlFor={selectId} className="block text-sm font-medium text-gray-700">
            New owner
          </label>
          <Select
            id={selectId}
            className="mt-1"
            value={target}
            onChange={(e) => {
              setTarget(e.currentTarget.value);
              setConfirming(false);
            }}
          >
            <option value="">Choose a member…</option>
            {candidates.map((c) => (
              <option key={c.userId} value={c.userId}>
                {c.name} ({c.email})
              </option>
            ))}
          </Select>
        </div>
        {!confirming ? (
          <Button type="button" variant="secondary" disabled={!chosen} onClick={() => setConfirming(true)}>
            Transfer ownership
          </Button>
        ) : null}
      </div>
      {confirming && chosen ? (
        <div className="rounded-md border border-red-200 bg-red-50 p-3 text-sm">
          <p className="text-red-800">
            Make {chosen.name} the owner? You become an admin and can no longer delete the organization or transfer it.
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
                  setTarget('');
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
