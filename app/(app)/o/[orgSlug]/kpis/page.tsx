import type { Metadata } from 'next';
import { WorkspaceLink } from '@/components/layout/workspace-link';
import { KpiTree } from '@/components/kpis/kpi-tree';
import { can } from '@/lib/authz/can';
import { toTreeNode } from '@/lib/domain/kpi-tree-node';
import { currentTargetGaps } from '@/lib/domain/target-reconciliation';
import { driverLinksOf } from '@/lib/domain/driver-links';
import { getKpiFormOptions } from '@/lib/dal/kpis/editor-options';
import { listSmartChecks } from '@/lib/dal/kpi-quality/smart';
import { listKpis } from '@/lib/dal/kpis/list';
import { listUnitParents } from '@/lib/dal/units/refs';
import { todayInTimeZone } from '@/lib/domain/dates';
import { requireOrgPage } from '@/lib/server/page-context';
import { parseExplorerView } from '@/lib/domain/view-params/explorer';
import { ExplorerViewSwitch } from '@/components/kpis/explorer-view-switch';
import { KpiMapView } from './_components/kpi-map-view';
import { ManageableKpiTree, type ManageFacts } from './_components/manageable-tree';

export const metadata: Metadata = { title: 'KPI cascade' };

export default async function KpisPage({
  params,
  searchParams,
}: {
  params: Promise<{ orgSlug: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const [{ orgSlug }, query] = await Promise.all([params, searchParams]);
  const ctx = await requireOrgPage(orgSlug);
  const { filter, view } = parseExplorerView(query);
  // The map view reads its own first slice, never the whole cascade (a large org has 10,000 KPIs).
  if (view === 'map') return <KpiMapView ctx={ctx} />;
  // The list's view is in the URL; the tree reads its filters itself. Only `asOf` changes what is
  // read: a complete period's card links with its last day; a future date reads as today.
  const today = todayInTimeZone(ctx.org.timeZone);
  const asOf = filter.asOf && filter.asOf < today ? filter.asOf : undefined;
  const kpis = await listKpis(ctx, asOf ? { asOf } : {});
  const smart = await listSmartChecks(ctx, kpis);
  // Formula links among the KPIs listed (this org's, as the actor may see them): no other.
  const links = driverLinksOf(kpis);
  const gaps = currentTargetGaps(kpis, ctx.org.locale);
  const nodes = kpis.map((k) =>
    toTreeNode(k, smart[k.id], links.get(k.id), gaps.get(k.id), ctx.org.locale),
  );
  // What each editable KPI's Manage dialog needs besides its node (its parent is searched on the
  // server when it moves: no list of every KPI as candidates in the page).
  const editable: Record<string, ManageFacts> = Object.fromEntries(
    kpis
      .filter((k) =>
        can(ctx, 'kpis.write', {
          unitId: k.unitId,
          ownerUserId: k.ownerUserId,
          isIndividual: k.isIndividual,
          ownerHomeUnitId: k.ownerHomeUnitId,
        }),
      )
      .map((k) => [
        k.id,
        {
          version: k.version,
          cadence: k.cadence,
          rollup: k.rollup,
          measureUnit: k.measureUnit,
          currency: k.currency,
        },
      ]),
  );
  const mayEdit =
    Object.keys(editable).length > 0 || can(ctx, 'kpis.write') || ctx.actor.ledUnitIds.length > 0;
  const options = mayEdit ? await getKpiFormOptions(ctx) : null;
  const unitParents = options?.unitParents ?? [...(await listUnitParents(ctx.org.id))];
  const base = `/o/${ctx.org.slug}`;
  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-end justify-between gap-3">
        <div>
          <h1 className="text-2xl font-semibold">KPI cascade</h1>
          <p className="mt-1 text-sm text-gray-600">
            Every KPI you can see, from the north star down, with its value for{' '}
            {asOf ? `the period containing ${asOf}` : 'the current period'}.
          </p>
        </div>
        <div className="flex flex-wrap gap-2">
          <ExplorerViewSwitch />
          {can(ctx, 'units.manage') ? (
            <WorkspaceLink
              href={`${base}/units`}
              className="rounded-md border border-gray-300 bg-white px-3 py-2 text-sm font-medium text-gray-800 shadow-sm hover:bg-gray-50"
            >
              Edit units
            </WorkspaceLink>
          ) : null}
          {options?.units.some((u) => u.canWriteKpis) ? (
            <WorkspaceLink
              href={`${base}/kpis/new`}
              className="rounded-md bg-indigo-600 px-3 py-2 text-sm font-medium text-white shadow-sm hover:bg-indigo-700"
            >
              New KPI
            </WorkspaceLink>
          ) : null}
        </div>
      </div>
      {options ? (
        <ManageableKpiTree
          orgSlug={ctx.org.slug}
          nodes={nodes}
          editable={editable}
          unitParents={options.unitParents}
        />
      ) : (
        <KpiTree orgSlug={ctx.org.slug} nodes={nodes} unitParents={unitParents} />
      )}
    </div>
  );
}
