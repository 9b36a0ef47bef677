import type { Metadata } from 'next';
import { WorkspaceLink } from '@/components/layout/workspace-link';
import { notFound } from 'next/navigation';
import { getKpiFormOptions } from '@/lib/dal/kpis/editor-options';
import { getKpiLoad } from '@/lib/dal/kpi-quality/limits';
import { listKpiTemplates } from '@/lib/dal/kpi-quality/templates';
import { getLinkCandidate } from '@/lib/dal/kpis/parent-search';
import { BUILTIN_TEMPLATES } from '@/lib/domain/kpi-templates';
import { defaultValidRange } from '@/lib/domain/value-range';
import { requireOrgPage } from '@/lib/server/page-context';
import { KpiForm, type KpiFormValues } from '../_components/kpi-form';

export const metadata: Metadata = { title: 'New KPI' };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Create a KPI (admins anywhere, leads in their subtree); `?parentId=` and `?unitId=` pre-fill. */
export default async function NewKpiPage({
  params,
  searchParams,
}: {
  params: Promise<{ orgSlug: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const [{ orgSlug }, query] = await Promise.all([params, searchParams]);
  const ctx = await requireOrgPage(orgSlug);
  const parentId =
    typeof query.parentId === 'string' && UUID.test(query.parentId) ? query.parentId : null;
  const [options, ownTemplates, load, parentRow] = await Promise.all([
    getKpiFormOptions(ctx),
    listKpiTemplates(ctx),
    getKpiLoad(ctx),
    // A pre-filled parent: only an active KPI the actor may see (another org's id: none).
    parentId ? getLinkCandidate(ctx, parentId) : null,
  ]);
  const writable = options.units.filter((u) => u.canWriteKpis);
  if (writable.length === 0) notFound();

  const company = options.units.find((u) => u.kind === 'company') ?? null;
  const northStar = query.northStar === '1' && company?.canWriteKpis === true;
  const parent = parentRow ?? undefined;
  const requestedUnit =
    typeof query.unitId === 'string' ? writable.find((u) => u.id === query.unitId) : undefined;
  const unitId = northStar
    ? company!.id
    : (requestedUnit?.id ??
      (parent && writable.some((u) => u.id === parent.unitId) ? parent.unitId : writable[0]!.id));

  const initial: KpiFormValues = {
    name: '',
    key: '',
    description: '',
    unitId,
    ownerUserId: '',
    parentId: parent?.id ?? '',
    isIndividual: false,
    measureUnit: parent?.measureUnit ?? 'count',
    currency: parent?.currency ?? '',
    decimals: '0',
    direction: 'increase',
    cadence: parent?.cadence ?? 'month',
    timeAggregation: 'sum',
    rollup: northStar ? 'sum' : 'manual',
    formula: '',
    missingPolicy: 'strict',
    weight: '1',
    baseline: '',
    defaultTarget: '',
    // A percent KPI starts with 0-100; the form follows the measure until the range is typed.
    validMin: defaultValidRange(parent?.measureUnit ?? 'count').validMin ?? '',
    validMax: defaultValidRange(parent?.measureUnit ?? 'count').validMax ?? '',
    category: northStar ? 'strategic' : 'operational',
    indicator: 'lagging',
    isNorthStar: northStar,
  };

  return (
    <div className="mx-auto max-w-3xl space-y-4">
      <nav className="text-sm text-gray-500" aria-label="Breadcrumb">
        <WorkspaceLink href={`/o/${ctx.org.slug}/kpis`} className="hover:text-gray-800">
          KPIs
        </WorkspaceLink>
        {' / New'}
      </nav>
      <div>
        <h1 className="text-2xl font-semibold">
          {northStar ? 'Create your north star' : 'New KPI'}
        </h1>
        <p className="mt-1 text-sm text-gray-600">
          {northStar
            ? 'The company number everything else should move. Most SaaS companies pick ARR or MRR; department KPIs then roll up into it.'
            : 'Start from a template or from scratch: a clear name and description, a unit, a cadence, an owner and a target, linked to the KPI it moves.'}
        </p>
      </div>
      <div className="rounded-xl border border-gray-200 bg-white p-5 shadow-sm">
        <KpiForm
          orgSlug={ctx.org.slug}
          mode="create"
          initial={initial}
          options={options}
          chosen={{ parent: parent ?? null, owner: null }}
          companyUnitId={company?.id ?? null}
          templates={northStar ? undefined : [...ownTemplates, ...BUILTIN_TEMPLATES]}
          load={load}
        />
      </div>
    </div>
  );
}
