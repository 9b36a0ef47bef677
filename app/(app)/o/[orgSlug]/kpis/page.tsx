import type { Metadata } from 'next';
import { KpiTree } from '@/components/kpis/kpi-tree';
import { toTreeNode } from '@/lib/dal/kpi-display';
import { listKpis } from '@/lib/dal/kpi-views';
import { requireOrgPage } from '@/lib/server/page-context';

export const metadata: Metadata = { title: 'KPI cascade' };

export default async function KpisPage({ params }: { params: Promise<{ orgSlug: string }> }) {
  const { orgSlug } = await params;
  const ctx = await requireOrgPage(orgSlug);
  const kpis = await listKpis(ctx);
  return (
    <div className="space-y-4">
      <div>
        <h1 className="text-2xl font-semibold">KPI cascade</h1>
        <p className="mt-1 text-sm text-gray-600">
          Every KPI you can see, from the north star down, with its value for the current period.
        </p>
      </div>
      <KpiTree orgSlug={ctx.org.slug} nodes={kpis.map(toTreeNode)} />
    </div>
  );
}
