'use client';

import { KpiTree } from '@/components/kpis/kpi-tree';
import type { KpiTreeNode } from '@/lib/domain/kpi-tree-node';
import type { LinkCandidate } from '@/lib/dal/kpis/editor-options';
import { KpiManageDialog } from './kpi-manage';

/** The explorer tree with a Manage dialog on every KPI the person may edit. */
export function ManageableKpiTree({
  orgSlug,
  nodes,
  editable,
  candidates,
  unitParents,
}: {
  orgSlug: string;
  nodes: KpiTreeNode[];
  /** KPI id -> version, for the KPIs the person may edit. */
  editable: Record<string, number>;
  candidates: LinkCandidate[];
  unitParents: [string, string | null][];
}) {
  const byId = new Map(candidates.map((c) => [c.id, c]));
  return (
    <KpiTree
      orgSlug={orgSlug}
      nodes={nodes}
      unitParents={unitParents}
      nodeActions={(node) => {
        const version = editable[node.id];
        const candidate = byId.get(node.id);
        if (version === undefined || !candidate) return <span className="inline-block w-7 sm:w-[3.75rem]" aria-hidden />;
        return <KpiManageDialog orgSlug={orgSlug} kpi={{ ...candidate, version }} candidates={candidates} unitParents={unitParents} />;
      }}
    />
  );
}
