import { LazyCascadeMap } from '@/components/cascade-map/lazy-cascade-map';
import { ExplorerViewSwitch } from '@/components/kpis/explorer-view-switch';
import { getCascadeMapSlice } from '@/lib/dal/kpis/cascade-map';
import type { OrgContext } from '@/lib/server/org-context';

/**
 * The explorer's map view (`?view=map`): the first slice of the cascade map (company and
 * departments open) read on the server, the map itself loaded lazily on the client.
 */
export async function KpiMapView({ ctx }: { ctx: OrgContext }) {
  const initial = await getCascadeMapSlice(ctx);
  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-end justify-between gap-3">
        <div>
          <h1 className="text-2xl font-semibold">KPI cascade</h1>
          <p className="mt-1 text-sm text-gray-600">
            The cascade as a map: units, their KPIs and how they link, for the current period.
          </p>
        </div>
        <ExplorerViewSwitch />
      </div>
      <LazyCascadeMap orgSlug={ctx.org.slug} initial={initial} />
    </div>
  );
}
