import { checkKpiLink, type LinkKpi, type LinkProblem } from '@/lib/domain/tree';
import type { LinkCandidate } from '@/lib/dal/kpis/editor-options';

/**
 * The KPIs `child` may roll up into, by the same rules the server re-checks (no cycle, unit in
 * the parent's subtree, cadence no longer, same measure under a computing parent).
 */
export function validParents(
  child: LinkKpi,
  candidates: readonly LinkCandidate[],
  unitParents: readonly [string, string | null][],
): LinkCandidate[] {
  const unitParentOf = new Map(unitParents);
  const kpiParentOf = new Map(candidates.map((c) => [c.id, c.parentId]));
  return candidates.filter(
    (parent) => parent.id !== child.id && checkKpiLink({ child, parent, unitParentOf, kpiParentOf }).length === 0,
  );
}

/** Why `child` may not roll up into `parentId` (empty when it may, or when no parent). */
export function linkProblems(
  child: LinkKpi,
  parentId: string,
  candidates: readonly LinkCandidate[],
  unitParents: readonly [string, string | null][],
): LinkProblem[] {
  const parent = candidates.find((c) => c.id === parentId);
  if (!parent) return [];
  return checkKpiLink({
    child,
    parent,
    unitParentOf: new Map(unitParents),
    kpiParentOf: new Map(candidates.map((c) => [c.id, c.parentId])),
  });
}
