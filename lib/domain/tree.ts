import { isCadenceNoLongerThan } from '@/lib/domain/periods';
import type { Cadence } from '@/lib/domain/periods';
import { isArithmeticRollup } from '@/lib/domain/rollup';
import type { RollupMethod } from '@/lib/domain/rollup';

/**
 * Tree rules for the unit tree and the KPI cascade. Trees are given as a map from id to parent
 * id (null for a root); ids missing from the map are treated as roots.
 */

/** Kind of an org unit. */
export type UnitKind = 'company' | 'department' | 'team';

/** All unit kinds, top down. */
export const UNIT_KINDS = ['company', 'department', 'team'] as const satisfies readonly UnitKind[];

/** A parent map: id -> parent id (null for a root). */
export type ParentMap = ReadonlyMap<string, string | null>;

/**
 * Kinds a unit of `kind` may sit under: a company is the root (none), a department sits under
 * the company, a team under a department or directly under the company (small orgs).
 */
export function allowedParentKinds(kind: UnitKind): readonly UnitKind[] {
  switch (kind) {
    case 'company':
      return [];
    case 'department':
      return ['company'];
    case 'team':
      return ['department', 'company'];
  }
}

/**
 * Ids from `nodeId` upwards, nearest first, excluding `nodeId` itself. Stops at a root, and
 * also stops (without repeating ids) if the map is corrupt and contains a loop.
 */
export function ancestorIds(nodeId: string, parentOf: ParentMap): string[] {
  const ancestors: string[] = [];
  const seen = new Set<string>([nodeId]);
  let current = parentOf.get(nodeId) ?? null;
  while (current !== null && !seen.has(current)) {
    ancestors.push(current);
    seen.add(current);
    current = parentOf.get(current) ?? null;
  }
  return ancestors;
}

/** True when `nodeId` is `ancestorId` or lies below it (a node is in its own subtree). */
export function isInSubtree(nodeId: string, ancestorId: string, parentOf: ParentMap): boolean {
  return nodeId === ancestorId || ancestorIds(nodeId, parentOf).includes(ancestorId);
}

/** Ids of `rootId` and everything below it. */
export function subtreeIds(rootId: string, parentOf: ParentMap): Set<string> {
  const childrenOf = new Map<string, string[]>();
  for (const [id, parent] of parentOf) {
    if (parent === null) continue;
    const list = childrenOf.get(parent);
    if (list) list.push(id);
    else childrenOf.set(parent, [id]);
  }
  const result = new Set<string>([rootId]);
  const queue = [rootId];
  for (let next = queue.pop(); next !== undefined; next = queue.pop()) {
    for (const child of childrenOf.get(next) ?? []) {
      if (!result.has(child)) {
        result.add(child);
        queue.push(child);
      }
    }
  }
  return result;
}

/**
 * True when giving `nodeId` the parent `newParentId` would close a loop: the new parent is the
 * node itself or one of its descendants. Moving to no parent (null) never does. If the map
 * already holds a loop above the new parent, this answers true, refusing the move.
 */
export function wouldCreateCycle(
  nodeId: string,
  newParentId: string | null,
  parentOf: ParentMap,
): boolean {
  if (newParentId === null) return false;
  const seen = new Set<string>();
  for (let current: string | null = newParentId; current !== null;) {
    if (current === nodeId || seen.has(current)) return true;
    seen.add(current);
    current = parentOf.get(current) ?? null;
  }
  return false;
}

/** The KPI fields a cascade link is checked on. */
export type LinkKpi = {
  id: string;
  unitId: string;
  cadence: Cadence;
  rollup: RollupMethod;
  measureUnit: string;
  currency: string | null;
};

/** Why a KPI may not be linked under a parent, with a message to show the user. */
export type LinkProblem = {
  code:
    | 'cycle'
    | 'unit_outside_parent_subtree'
    | 'cadence_longer_than_parent'
    | 'measure_unit_mismatch';
  message: string;
};

/** Inputs of `checkKpiLink`: the unit tree and the KPI cascade as they are now. */
export type KpiLinkInput = {
  child: LinkKpi;
  parent: LinkKpi;
  unitParentOf: ParentMap;
  kpiParentOf: ParentMap;
};

const CADENCE_ADJECTIVE: Record<Cadence, string> = {
  month: 'monthly',
  quarter: 'quarterly',
  year: 'yearly',
};

const ROLLUP_NOUN: Record<RollupMethod, string> = {
  manual: 'manual',
  sum: 'sum',
  average: 'average',
  weighted_average: 'weighted average',
  min: 'minimum',
  max: 'maximum',
  formula: 'formula',
};

function describeMeasure(kpi: LinkKpi): string {
  return kpi.currency === null ? kpi.measureUnit : `${kpi.measureUnit} (${kpi.currency})`;
}

/**
 * Every rule that stops `child` from feeding `parent` (empty when the link is fine): no cycles
 * (including a KPI under itself); the child's unit is the parent's unit or below it; the child's
 * cadence is no longer than the parent's; under a computing (non-manual) parent, the same measure
 * unit and currency. Same-organization is enforced by the database, not here.
 */
export function checkKpiLink(input: KpiLinkInput): LinkProblem[] {
  const { child, parent } = input;
  const problems: LinkProblem[] = [];
  if (wouldCreateCycle(child.id, parent.id, input.kpiParentOf)) {
    problems.push({
      code: 'cycle',
      message:
        child.id === parent.id
          ? 'A KPI cannot roll up into itself.'
          : 'This KPI cannot roll up into one of the KPIs that already roll up into it.',
    });
  }
  if (!isInSubtree(child.unitId, parent.unitId, input.unitParentOf)) {
    problems.push({
      code: 'unit_outside_parent_subtree',
      message:
        "This KPI's unit must be the parent KPI's unit or a unit below it. Pick a parent KPI from this unit or one above it.",
    });
  }
  if (!isCadenceNoLongerThan(child.cadence, parent.cadence)) {
    problems.push({
      code: 'cadence_longer_than_parent',
      message: `A ${CADENCE_ADJECTIVE[child.cadence]} KPI cannot roll up into a ${CADENCE_ADJECTIVE[parent.cadence]} one: a child's cadence must be no longer than its parent's.`,
    });
  }
  if (
    isArithmeticRollup(parent.rollup) &&
    (child.measureUnit !== parent.measureUnit || child.currency !== parent.currency)
  ) {
    problems.push({
      code: 'measure_unit_mismatch',
      message: `The parent KPI computes a ${ROLLUP_NOUN[parent.rollup]} of its children in ${describeMeasure(parent)}, but this KPI is measured in ${describeMeasure(child)}. Use the same unit, or set the parent's rollup to manual.`,
    });
  }
  return problems;
}

/**
 * Rows in tree order with their depth: each parent before its children, siblings in the order
 * given. A row whose parent is not among them starts a tree of its own.
 */
export function inTreeOrder<T extends { id: string; parentId: string | null }>(
  rows: readonly T[],
): (T & { depth: number })[] {
  const ids = new Set(rows.map((r) => r.id));
  const childrenOf = new Map<string | null, T[]>();
  for (const row of rows) {
    const parent = row.parentId !== null && ids.has(row.parentId) ? row.parentId : null;
    const list = childrenOf.get(parent);
    if (list) list.push(row);
    else childrenOf.set(parent, [row]);
  }
  const out: (T & { depth: number })[] = [];
  const visit = (parent: string | null, depth: number) => {
    for (const row of childrenOf.get(parent) ?? []) {
      out.push({ ...row, depth });
      visit(row.id, depth + 1);
    }
  };
  visit(null, 0);
  return out;
}
