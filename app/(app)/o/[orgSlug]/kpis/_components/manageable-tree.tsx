'use client';

import { useMemo } from 'react';
import { KpiTree } from '@/components/kpis/kpi-tree';
import type { KpiTreeNode } from '@/lib/domain/kpi-tree-node';
import { KpiManageDialog, type ManagedKpi } from './kpi-manage';

/** What the Manage dialog needs of an editable KPI beyond its tree node. */
export type ManageFacts = Pick<
  ManagedKpi,
  'version' | 'cadence' | 'rollup' | 'measureUnit' | 'currency'
>;

/** The explorer tree with a Manage dialog on every KPI the person may edit. */
export function ManageableKpiTree({
  orgSlug,
  nodes,
  editable,
  unitParents,
}: {
  orgSlug: string;
  nodes: KpiTreeNode[];
  /** KPI id -> what its dialog needs, for the KPIs the person may edit. */
  editable: Record<string, ManageFacts>;
  unitParents: [string, string | null][];
}) {
  const nameOf = useMemo(() => new Map(nodes.map((n) => [n.id, n.name])), [nodes]);
  return (
    <KpiTree
      orgSlug={orgSlug}
      nodes={nodes}
      unitParents={unitParents}
      nodeActions={(node) => {
        const facts = editable[node.id];
        if (!facts) return <span className="inline-block w-7 sm:w-[3.75rem]" aria-hidden />;
        const kpi: ManagedKpi = {
          ...facts,
          id: node.id,
          key: node.key,
          name: node.name,
          unitId: node.unitId,
          unitName: node.unitName,
          parentId: node.parentId,
          isIndividual: node.isIndividual,
          ...(node.parentId ? { parentName: nameOf.get(node.parentId) ?? '' } : {}),
        };
        return <KpiManageDialog orgSlug={orgSlug} kpi={kpi} />;
      }}
    />
  );
}
