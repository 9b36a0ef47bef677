'use client';

import { useMutation, useQuery } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { useSaved } from '@/components/layout/use-saved';
import { useNearViewport } from '@/components/ui/use-near-viewport';
import { assignKpiOwnerAction } from '@/lib/actions/kpis';

export type AssigneeOption = { userId: string; name: string; unitName: string };

/**
 * The people the signed-in person may assign, fetched once per page (every picker shares the
 * query) instead of riding in the dashboard's HTML: thousands of names in a large organization.
 */
async function fetchAssignees(orgSlug: string): Promise<AssigneeOption[]> {
  const res = await fetch(`/api/o/${orgSlug}/assignees`, { cache: 'no-store' });
  if (!res.ok) throw new Error('Could not load the people to assign.');
  return (await res.json()) as AssigneeOption[];
}

/**
 * Assigns an owner to a KPI in place (lead or admin); the action's response refreshes the view.
 * The people load when the picker comes near the screen (or is used), not with the page: each
 * picker lists every assignable person, thousands of options to build while the page hydrates.
 */
export function AssignOwner({
  orgSlug,
  kpiId,
  kpiName,
}: {
  orgSlug: string;
  kpiId: string;
  kpiName: string;
}) {
  const id = useId();
  const { ref, near, markNear } = useNearViewport<HTMLFormElement>();
  const assignees = useQuery({
    queryKey: ['assignees', orgSlug],
    queryFn: () => fetchAssignees(orgSlug),
    staleTime: 60_000,
    enabled: near,
  });
  const people = assignees.data ?? [];
  // Loading only while the list is on its way: a picker far from the screen has not asked yet.
  const loading = assignees.data === undefined && assignees.fetchStatus === 'fetching';
  const afterSave = useSaved();
  const [ownerUserId, setOwnerUserId] = useState('');
  // Past the new owner's KPI limit an admin is asked once more (leads are refused outright).
  const [overLimit, setOverLimit] = useState(false);
  const mutation = useMutation({
    mutationFn: async (input: { owner: string; confirmOverLimit: boolean }) => {
      const result = await assignKpiOwnerAction(orgSlug, {
        kpiId,
        ownerUserId: input.owner,
        ...(input.confirmOverLimit ? { confirmOverLimit: true } : {}),
      });
      if (!result.ok) {
        setOverLimit(Boolean(result.error.fieldErrors?.confirmOverLimit));
        throw new Error(result.error.fieldErrors?.ownerUserId?.[0] ?? result.error.message);
      }
      return result.data;
    },
    onSuccess: () => {
      setOverLimit(false);
      return afterSave();
    },
  });
  const busy = mutation.isPending;
  return (
    <form
      ref={ref}
      onFocus={markNear}
      onPointerEnter={markNear}
      className="flex flex-wrap items-center gap-2"
      onSubmit={(e) => {
        e.preventDefault();
        if (ownerUserId) mutation.mutate({ owner: ownerUserId, confirmOverLimit: false });
      }}
    >
      <label htmlFor={id} className="sr-only">
        Owner for {kpiName}
      </label>
      <select
        id={id}
        value={ownerUserId}
        onChange={(e) => {
          setOverLimit(false);
          setOwnerUserId(e.target.value);
        }}
        disabled={busy}
        aria-busy={loading}
        className="min-w-0 max-w-[14rem] rounded-md border border-gray-300 bg-white px-2 py-1 text-sm focus:border-indigo-500 focus:outline-none focus:ring-2 focus:ring-indigo-500"
      >
        <option value="">
          {loading
            ? 'Loading people…'
            : assignees.isError
              ? 'Could not load people'
              : assignees.data !== undefined && people.length === 0
                ? 'Nobody to assign'
                : 'Choose a person…'}
        </option>
        {people.map((p) => (
          <option key={p.userId} value={p.userId}>
            {p.name} ({p.unitName})
          </option>
        ))}
      </select>
      <button
        type="submit"
        disabled={!ownerUserId || busy}
        className="rounded-md bg-indigo-600 px-3 py-1 text-sm font-medium text-white shadow-sm hover:bg-indigo-700 focus-visible:outline focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600 disabled:bg-indigo-300"
      >
        {busy ? 'Assigning…' : 'Assign'}
      </button>
      {mutation.isError ? (
        <p className="w-full text-xs text-red-600" role="alert">
          {mutation.error.message}
        </p>
      ) : null}
      {overLimit && ownerUserId ? (
        <button
          type="button"
          disabled={busy}
          onClick={() => mutation.mutate({ owner: ownerUserId, confirmOverLimit: true })}
          className="rounded-md border border-amber-400 bg-amber-50 px-3 py-1 text-sm font-medium text-amber-900 hover:bg-amber-100 disabled:opacity-60"
        >
          Assign anyway
        </button>
      ) : null}
    </form>
  );
}
