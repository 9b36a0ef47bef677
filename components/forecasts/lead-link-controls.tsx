'use client';

import { useState, type FormEvent } from 'react';
import { Button } from '@/components/ui/button';
import { ConfirmActionButton } from '@/components/ui/confirm-action-button';
import { FormAlert } from '@/components/ui/form-alert';
import { fetchPickerPage, SearchCombobox } from '@/components/ui/search-combobox';
import { useActionForm } from '@/components/ui/use-action-form';
import { addKpiLeadAction, removeKpiLeadAction } from '@/lib/actions/kpis';

/*
 * The explicit "leads" links on a KPI's page (issue 24, item 3): pick a KPI believed to lead this
 * one, or remove such a link. The server checks `kpis.write` on the lagging KPI again.
 */

type Candidate = { id: string; name: string };

/**
 * Picks a KPI of the org and links it as leading KPI `laggingKpiId`: a search-as-you-type
 * picker, so nothing is fetched until it is used.
 */
export function AddLeadForm({ orgSlug, laggingKpiId }: { orgSlug: string; laggingKpiId: string }) {
  const [lead, setLead] = useState<Candidate | null>(null);
  const form = useActionForm({
    // The KPI schemas (zod) load on the first submit, not with the KPI page.
    schema: () => import('@/lib/validation/kpis').then((m) => m.kpiLeadSchema),
    action: (input) => addKpiLeadAction(orgSlug, input),
    onSuccess: () => setLead(null),
  });
  const { errors, alert, saved, saving } = form;

  function submit(e: FormEvent) {
    e.preventDefault();
    void form.submit({ leadKpiId: lead?.id ?? '', laggingKpiId });
  }

  return (
    <form onSubmit={submit} noValidate aria-label="Add a leading indicator" className="space-y-2">
      <FormAlert message={alert} />
      <div className="flex flex-col gap-2 sm:flex-row sm:items-start">
        <SearchCombobox<Candidate>
          label="A KPI believed to lead this one"
          className="min-w-0 flex-1"
          placeholder="Type a KPI's name or key"
          selectedLabel={lead?.name ?? ''}
          queryKey={['lead-candidates', orgSlug, laggingKpiId]}
          search={(q, signal) =>
            fetchPickerPage(
              `/api/o/${orgSlug}/lead-candidates?kpi=${laggingKpiId}&q=${encodeURIComponent(q)}`,
              signal,
            )
          }
          itemId={(c) => c.id}
          itemLabel={(c) => c.name}
          onPick={setLead}
          error={errors.leadKpiId}
          hint="It need not feed this KPI: its history is measured against this one's like the indicators that do."
        />
        <Button type="submit" disabled={saving} className="sm:mt-6">
          {saving ? 'Linking…' : 'Link as leading'}
        </Button>
      </div>
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
