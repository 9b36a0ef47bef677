import type { Problem } from '@/lib/domain/problem';
import { allowedParentKinds, isInSubtree, type ParentMap, type UnitKind } from '@/lib/domain/tree';

/*
 * Rules of editing the unit tree that need no I/O; lib/dal/units/writes.ts loads what they
 * judge and turns a Problem into a VALIDATION error.
 */

const KIND_LABEL: Record<UnitKind, string> = {
  company: 'the company',
  department: 'a department',
  team: 'a team',
};

/** Why a unit of `kind` may not sit under a unit of `parentKind` (`allowedParentKinds`), or null. */
export function unitKindProblem(kind: UnitKind, parentKind: UnitKind): Problem | null {
  const allowed = allowedParentKinds(kind);
  if (allowed.includes(parentKind)) return null;
  const where = allowed.map((k) => KIND_LABEL[k]).join(' or ');
  return {
    message: `${KIND_LABEL[kind]} goes under ${where}.`.replace(/^./, (c) => c.toUpperCase()),
    fieldErrors: { parentId: [`Choose ${where} as the parent`] },
  };
}

/** A KPI link as a unit move sees it: the child KPI's unit and its parent KPI's unit. */
export type UnitLink = { childName: string; childUnitId: string; parentUnitId: string };

/**
 * Why moving units to the tree `movedParentOf` is refused: KPI links whose parent KPI would no
 * longer be at or above the child KPI's unit (the first three named), or null.
 */
export function brokenLinksProblem(
  links: readonly UnitLink[],
  movedParentOf: ParentMap,
): Problem | null {
  const broken = links.filter((l) => !isInSubtree(l.childUnitId, l.parentUnitId, movedParentOf));
  if (broken.length === 0) return null;
  const names = broken
    .slice(0, 3)
    .map((b) => `"${b.childName}"`)
    .join(', ');
  return {
    message: `This move would leave ${broken.length} KPI link${broken.length === 1 ? '' : 's'} pointing at a parent KPI that is no longer above the KPI's unit (${names}${broken.length > 3 ? ', ...' : ''}). Unlink or relink those KPIs first.`,
    fieldErrors: { parentId: ['Moving here breaks KPI links'] },
  };
}

/** What still depends on a unit: its active KPIs, active child units and home members. */
export type UnitDependents = { kpis: number; children: number; members: number };

/** Why a unit with these dependents may not be archived (each reason with its remedy), or null. */
export function archiveUnitProblem(counts: UnitDependents | undefined): Problem | null {
  const reasons: string[] = [];
  if (counts && counts.kpis > 0)
    reasons.push(`${counts.kpis} active KPI${counts.kpis === 1 ? '' : 's'} (archive or move them)`);
  if (counts && counts.children > 0)
    reasons.push(
      `${counts.children} active unit${counts.children === 1 ? '' : 's'} below it (archive or move them)`,
    );
  if (counts && counts.members > 0)
    reasons.push(
      `${counts.members} ${counts.members === 1 ? 'person has' : 'people have'} it as home unit (move them)`,
    );
  if (reasons.length === 0) return null;
  return { message: `This unit still has ${reasons.join('; ')}.` };
}
