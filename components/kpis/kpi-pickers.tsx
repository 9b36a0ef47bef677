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

/**
 * "Rolls up into": searches the KPIs the drafted KPI may roll up into (kpi-parent-search: the
 * server applies every link rule to the draft's unit, cadence, rollup and measure, and offers
 * only KPIs the actor may see), or clears the parent.
 */
export function ParentPicker({
  orgSlug,
  draft,
  value,
  onChange,
  error,
  hint,
  className,
}: {
  orgSlug: string;
  /** The KPI as the form holds it now (`id` null when creating). */
  draft: Omit<LinkKpi, 'id'> & { id: string | null };
  value: ParentChoice | null;
  onChange: (parent: LinkCandidate | null) => void;
  error?: string;
  hint?: string;
  className?: string;
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
  const base = params.toString();
  return (
    <SearchCombobox<LinkCandidate>
      id="kpi-parent"
      label="Rolls up into"
      hint={hint}
      error={error}
      className={className}
      placeholder="Nothing (top level): type to search KPIs"
      selectedLabel={value?.name ?? ''}
      queryKey={['kpi-parent-search', orgSlug, base]}
      search={(q, signal) =>
        fetchPickerPage(
          `/api/o/${orgSlug}/kpi-parent-search?${base}&q=${encodeURIComponent(q)}`,
          signal,
        )
      }
      itemId={(k) => k.id}
      itemLabel={(k) => k.name}
      itemDetail={(k) => [k.unitName, k.key].filter(Boolean).join(' · ')}
      onPick={onChange}
      clearLabel="Nothing (top level)"
    />
  );
}

/**
 * "Owner": searches the people the actor may make a KPI owner (owner-search: everyone for
 * admins, the people at home in a lead's subtree for a lead), or clears the owner.
 */
export function OwnerPicker({
  orgSlug,
  value,
  onChange,
  error,
  hint,
  className,
}: {
  orgSlug: string;
  value: OwnerChoice | null;
  onChange: (owner: OwnerChoice | null) => void;
  error?: string;
  hint?: string;
  className?: string;
}) {
  return (
    <SearchCombobox<AssigneeDto>
      id="kpi-owner"
      label="Owner"
      hint={hint}
      error={error}
      className={className}
      placeholder="No owner yet: type to search people"
      selectedLabel={value?.name ?? ''}
      queryKey={['owner-search', orgSlug]}
      search={(q, signal) =>
        fetchPickerPage(`/api/o/${orgSlug}/owner-search?q=${encodeURIComponent(q)}`, signal)
      }
      itemId={(p) => p.userId}
      itemLabel={(p) => p.name}
      itemDetail={(p) => p.unitName}
      onPick={onChange}
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
