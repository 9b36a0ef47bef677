import { checkKpiLink, type LinkKpi, type LinkProblem } from '@/lib/domain/tree';
import type { LinkCandidate } from '@/lib/dal/kpis/editor-options';

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
