'use client';

import { fetchPickerPage, SearchCombobox } from '@/components/ui/search-combobox';
import type { AssigneeDto } from '@/lib/dal/dashboards/assignees';
import type { LinkCandidate } from '@/lib/dal/kpis/editor-options';
import type { MapSearchHit } from '@/lib/domain/cascade-map';
import type { LinkKpi } from '@/lib/domain/tree';

/** A KPI as the parent picker shows the chosen one (by name). */
export type ParentChoice = { id: string; name: string };

/** A person as the owner picker shows the chosen one (by name). */
export type OwnerChoice = { userId: string; name: string };

/** What a picker takes from the form: the chosen item, the change, the field's texts. */
type PickerFieldProps<Chosen, Picked> = {
  orgSlug: string;
  value: Chosen | null;
  onChange: (picked: Picked | null) => void;
  error?: string;
  hint?: string;
  className?: string;
};

/**
 * The SearchCombobox props both pickers share: the form's field props, and the search of the
 * org's `route` with `query` (the typed text appended as q), its matches labelled by name.
 */
function pickerBase<Picked extends { name: string }>(
  { orgSlug, value, onChange, error, hint, className }: PickerFieldProps<{ name: string }, Picked>,
  route: string,
  query = '',
) {
  return {
    hint,
    error,
    className,
    selectedLabel: value?.name ?? '',
    queryKey: [route, orgSlug, query],
    search: (q: string, signal: AbortSignal) =>
      fetchPickerPage<Picked>(
        `/api/o/${orgSlug}/${route}?${query ? `${query}&` : ''}q=${encodeURIComponent(q)}`,
        signal,
      ),
    itemLabel: (item: Picked) => item.name,
    onPick: onChange,
  };
}

/**
 * "Rolls up into": searches the KPIs the drafted KPI may roll up into (kpi-parent-search: the
 * server applies every link rule to the draft's unit, cadence, rollup and measure, and offers
 * only KPIs the actor may see), or clears the parent.
 */
export function ParentPicker({
  draft,
  ...field
}: PickerFieldProps<ParentChoice, LinkCandidate> & {
  /** The KPI as the form holds it now (`id` null when creating). */
  draft: Omit<LinkKpi, 'id'> & { id: string | null };
}) {
  const params = new URLSearchParams({
    unit: draft.unitId,
    cadence: draft.cadence,
    rollup: draft.rollup,
    measure: draft.measureUnit,
  });
  if (draft.id) params.set('kpi', draft.id);
  if (draft.measureUnit === 'currency' && draft.currency && /^[A-Z]{3}$/.test(draft.currency)) {
    params.set('currency', draft.currency);
  }
  return (
    <SearchCombobox<LinkCandidate>
      {...pickerBase(field, 'kpi-parent-search', params.toString())}
      id="kpi-parent"
      label="Rolls up into"
      placeholder="Nothing (top level): type to search KPIs"
      itemId={(k) => k.id}
      itemDetail={(k) => [k.unitName, k.key].filter(Boolean).join(' · ')}
      clearLabel="Nothing (top level)"
    />
  );
}

/**
 * "Owner": searches the people the actor may make a KPI owner (owner-search: everyone for
 * admins, the people at home in a lead's subtree for a lead), or clears the owner.
 */
export function OwnerPicker(field: PickerFieldProps<OwnerChoice, OwnerChoice>) {
  return (
    <SearchCombobox<AssigneeDto>
      {...pickerBase<AssigneeDto>(field, 'owner-search')}
      id="kpi-owner"
      label="Owner"
      placeholder="No owner yet: type to search people"
      itemId={(p) => p.userId}
      itemDetail={(p) => p.unitName}
      clearLabel="No owner yet"
    />
  );
}

/** A KPI with a key (formulas name KPIs by key). */
export type KeyedKpiHit = MapSearchHit & { key: string };

/**
 * The keyed KPIs other than `excludeId` whose name or key contains `q`, from the cascade map's
 * search (what the actor may see, at most 20 by name): formula key completion and the "replace
 * it in those formulas" picker.
 */
export async function searchKeyedKpis(
  orgSlug: string,
  q: string,
  signal: AbortSignal,
  excludeId?: string,
): Promise<KeyedKpiHit[]> {
  if (q.trim() === '') return [];
  const res = await fetch(`/api/o/${orgSlug}/cascade-map?q=${encodeURIComponent(q.trim())}`, {
    cache: 'no-store',
    signal,
  });
  if (!res.ok) throw new Error('Could not search.');
  const { hits } = (await res.json()) as { hits: MapSearchHit[] };
  return hits.filter((h): h is KeyedKpiHit => h.key !== null && h.id !== excludeId);
}
