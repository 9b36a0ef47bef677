'use client';

import { useEffect, useMemo, useRef, useState } from 'react';
import { KpiTree } from '@/components/kpis/kpi-tree';
import type { KpiTreeNode } from '@/lib/domain/kpi-tree-node';
import { KpiManageDialog, type ManagedKpi } from './kpi-manage';

/** What the Manage dialog needs of an editable KPI beyond its tree node. */
export type ManageFacts = Pick<
  ManagedKpi,
  'version' | 'cadence' | 'rollup' | 'measureUnit' | 'currency'
>;

/**
 * The explorer tree with a Manage dialog on every KPI the person may edit. What a dialog saved
 * (a move, an archive) is said above the tree, and the focus goes there: the dialog and the row
 * it was opened from are gone by then.
 */
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
  // What the last dialog saved; `n` counts saves, so the same words said twice take the focus.
  const [done, setDone] = useState<{ text: string; n: number } | null>(null);
  const doneRef = useRef<HTMLParagraphElement>(null);
  useEffect(() => {
    if (done) doneRef.current?.focus();
  }, [done]);
  return (
    <>
      <p
        ref={doneRef}
        tabIndex={-1}
        role="status"
        className={
          done
            ? 'mb-3 rounded-md border border-emerald-200 bg-emerald-50 px-3 py-2 text-sm text-emerald-800 focus:outline-none focus-visible:ring-2 focus-visible:ring-indigo-500'
            : 'sr-only'
        }
      >
        {done?.text}
      </p>
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
          return (
            <KpiManageDialog
              orgSlug={orgSlug}
              kpi={kpi}
              onDone={(text) =>
                setDone((last) => ({ text: `${kpi.name}: ${text}`, n: (last?.n ?? 0) + 1 }))
              }
            />
          );
        }}
      />
    </>
  );
}
