'use client';

import { useQuery } from '@tanstack/react-query';
import { useId, useState, type FormEvent } from 'react';
import { Button } from '@/components/ui/button';
import { ConfirmActionButton } from '@/components/ui/confirm-action-button';
import { FormAlert } from '@/components/ui/form-alert';
import { useActionForm } from '@/components/ui/use-action-form';
import { useNearViewport } from '@/components/ui/use-near-viewport';
import { addKpiLeadAction, removeKpiLeadAction } from '@/lib/actions/kpis';

/*
 * The explicit "leads" links on a KPI's page (issue 24, item 3): pick a KPI believed to lead this
 * one, or remove such a link. The server checks `kpis.write` on the lagging KPI again.
 */

type Candidate = { id: string; name: string };

/** The KPIs that could lead `kpiId`: every KPI of a large organization, so fetched, not inlined. */
async function fetchCandidates(orgSlug: string, kpiId: string): Promise<Candidate[]> {
  const res = await fetch(`/api/o/${orgSlug}/lead-candidates?kpi=${kpiId}`, { cache: 'no-store' });
  if (!res.ok) throw new Error('Could not load the KPIs to choose from.');
  return (await res.json()) as Candidate[];
}

/**
 * Picks a KPI of the org and links it as leading KPI `laggingKpiId`. The KPIs to pick from load
 * when the form comes near the screen (or is used), not with the page.
 */
export function AddLeadForm({ orgSlug, laggingKpiId }: { orgSlug: string; laggingKpiId: string }) {
  const id = useId();
  const { ref, near, markNear } = useNearViewport<HTMLFormElement>();
  const list = useQuery({
    queryKey: ['lead-candidates', orgSlug, laggingKpiId],
    queryFn: () => fetchCandidates(orgSlug, laggingKpiId),
    staleTime: 60_000,
    enabled: near,
  });
  const candidates = list.data ?? [];
  const [leadKpiId, setLeadKpiId] = useState('');
  const form = useActionForm({
    // The KPI schemas (zod) load on the first submit, not with the KPI page.
    schema: () => import('@/lib/validation/kpis').then((m) => m.kpiLeadSchema),
    action: (input) => addKpiLeadAction(orgSlug, input),
    onSuccess: () => setLeadKpiId(''),
  });
  const { errors, alert, saved, saving } = form;
  const error = errors.leadKpiId;

  function submit(e: FormEvent) {
    e.preventDefault();
    void form.submit({ leadKpiId, laggingKpiId });
  }

  return (
    <form
      ref={ref}
      onSubmit={submit}
      onFocus={markNear}
      onPointerEnter={markNear}
      noValidate
      aria-label="Add a leading indicator"
      className="space-y-2"
    >
      <FormAlert message={alert} />
      <div className="flex flex-col gap-2 sm:flex-row sm:items-end">
        <div className="min-w-0 flex-1">
          <label htmlFor={id} className="block text-sm font-medium text-gray-700">
            A KPI believed to lead this one
          </label>
          <select
            id={id}
            value={leadKpiId}
            onChange={(e) => setLeadKpiId(e.target.value)}
            aria-busy={list.isFetching}
            aria-invalid={error ? true : undefined}
            aria-describedby={error ? `${id}-error` : `${id}-hint`}
            className={`mt-1 block w-full rounded-md border bg-white px-3 py-2 text-sm shadow-sm focus:border-indigo-500 focus:outline-none focus:ring-1 focus:ring-indigo-500 ${
              error ? 'border-red-400' : 'border-gray-300'
            }`}
          >
            <option value="">
              {list.isError
                ? 'Could not load the KPIs'
                : list.data
                  ? 'Choose a KPI…'
                  : 'Loading KPIs…'}
            </option>
            {candidates.map((c) => (
              <option key={c.id} value={c.id}>
                {c.name}
              </option>
            ))}
          </select>
        </div>
        <Button type="submit" disabled={saving} className="sm:mb-px">
          {saving ? 'Linking…' : 'Link as leading'}
        </Button>
      </div>
      {error ? (
        <p id={`${id}-error`} className="text-sm text-red-600">
          {error}
        </p>
      ) : (
        <p id={`${id}-hint`} className="text-xs text-gray-500">
          It need not feed this KPI: its history is measured against this one&rsquo;s like the
          indicators that do.
        </p>
      )}
      {saved ? (
        <p role="status" className="text-sm text-emerald-700">
          Linked.
        </p>
      ) : null}
    </form>
  );
}

/** Removes the explicit link of `lead` leading `lagging`, after a confirmation. */
export function RemoveLeadButton({
  orgSlug,
  lead,
  lagging,
}: {
  orgSlug: string;
  lead: { id: string; name: string };
  lagging: { id: string; name: string };
}) {
  return (
    <ConfirmActionButton
      ariaLabel={`Remove the link: ${lead.name} leads ${lagging.name}`}
      confirm={`Stop measuring whether ${lead.name} leads ${lagging.name}?`}
      run={() => removeKpiLeadAction(orgSlug, { leadKpiId: lead.id, laggingKpiId: lagging.id })}
    >
      Remove link
    </ConfirmActionButton>
  );
}
