import type { Metadata } from 'next';
import { UnitTreeEditor } from '@/components/units/unit-tree-editor';
import { can } from '@/lib/authz/can';
import { getUnitTree } from '@/lib/dal/units/tree-view';
import { requireOrgPage } from '@/lib/server/page-context';

export const metadata: Metadata = { title: 'Units' };

/** The unit tree: owners and admins edit it (departments, teams, leads); everyone may read it. */
export default async function UnitsPage({ params }: { params: Promise<{ orgSlug: string }> }) {
  const { orgSlug } = await params;
  const ctx = await requireOrgPage(orgSlug);
  const tree = await getUnitTree(ctx);
  const canManage = can(ctx, 'units.manage');
  return (
    <div className="mx-auto max-w-4xl space-y-4">
      <div>
        <h1 className="text-2xl font-semibold">Units</h1>
        <p className="mt-1 text-sm text-gray-600">
          {canManage
            ? 'How the company is organized: departments under the company, teams under departments. A lead manages the KPIs of their unit and everything below it.'
            : 'How the company is organized, and who leads each unit.'}
        </p>
      </div>
      <UnitTreeEditor orgSlug={ctx.org.slug} units={tree.units} canManage={canManage} />
    </div>
  );
}
