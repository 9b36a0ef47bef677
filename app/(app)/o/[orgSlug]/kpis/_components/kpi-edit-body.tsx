'use client';

import { useQuery } from '@tanstack/react-query';
import { Button } from '@/components/ui/button';
import type { OwnerChoice, ParentChoice } from '@/components/kpis/kpi-pickers';
import type { KpiFormOptions, LinkCandidate } from '@/lib/dal/kpis/editor-options';
import { KpiForm, type KpiFormValues } from './kpi-form';
import { KpiCascadeControls } from './kpi-manage';
import { SaveTemplateForm } from './save-template-form';
import type { TargetEditorProps } from './target-editor';

export type KpiEditBodyProps = {
  orgSlug: string;
  kpiId: string;
  kpiName: string;
  version: number;
  initial: KpiFormValues;
  /** The KPI as a link candidate; null when archived (it links to nothing). */
  self: LinkCandidate | null;
  /** Its parent and owner by name, as the pickers show them when the form opens. */
  chosen: { parent: ParentChoice | null; owner: OwnerChoice | null };
  /** The per-period targets, when the person may set them. */
  targets?: TargetEditorProps;
};

/**
 * The units the edit form picks from and the unit tree, fetched when the form opens (and again
 * after a save, like all org queries); parent and owner are searched as one types.
 */
async function fetchEditorOptions(orgSlug: string): Promise<KpiFormOptions> {
  const res = await fetch(`/api/o/${orgSlug}/kpi-editor-options`, { cache: 'no-store' });
  if (!res.ok) throw new Error('Could not load the form. Try again.');
  return (await res.json()) as KpiFormOptions;
}

/** The opened "Edit KPI" section: the KPI form, its cascade controls and "save as template". */
export function KpiEditBody({
  orgSlug,
  kpiId,
  kpiName,
  version,
  initial,
  self,
  chosen,
  targets,
}: KpiEditBodyProps) {
  const query = useQuery({
    queryKey: ['kpi-editor-options', orgSlug],
    queryFn: () => fetchEditorOptions(orgSlug),
    staleTime: 60_000,
  });
  const options = query.data;
  if (!options) {
    return query.isError ? (
      <div className="flex flex-wrap items-center gap-3">
        <p role="alert" className="text-sm text-red-700">
          {query.error.message}
        </p>
        <Button type="button" variant="secondary" onClick={() => void query.refetch()}>
          Try again
        </Button>
      </div>
    ) : (
      <p className="text-sm text-gray-500" role="status">
        Loading the form…
      </p>
    );
  }
  const companyUnitId = options.units.find((u) => u.kind === 'company')?.id ?? null;
  return (
    <>
      <KpiForm
        orgSlug={orgSlug}
        mode="edit"
        kpiId={kpiId}
        version={version}
        initial={initial}
        options={options}
        chosen={chosen}
        canLink={self !== null}
        companyUnitId={companyUnitId}
        targets={targets}
      />
      {self ? (
        <div
          id="kpi-cascade"
          tabIndex={-1}
          className="border-t border-gray-200 pt-4 focus:outline-none"
        >
          <h3 className="mb-2 text-sm font-semibold text-gray-900">Cascade</h3>
          <KpiCascadeControls move={false} orgSlug={orgSlug} kpi={{ ...self, version }} />
        </div>
      ) : null}
      <div className="border-t border-gray-200 pt-4">
        <h3 className="mb-1 text-sm font-semibold text-gray-900">Template</h3>
        <p className="mb-2 text-xs text-gray-500">
          Save this definition (not its values, owner or targets) so the next KPI of its kind starts
          from it.
        </p>
        <SaveTemplateForm orgSlug={orgSlug} kpiId={kpiId} kpiName={kpiName} />
      </div>
    </>
  );
}
