import { Dec, toDec, toPlainString } from '@/lib/domain/decimal';
import { formatValue, type MeasureUnit } from '@/lib/domain/format';
import type { Cadence } from '@/lib/domain/periods';
import type { RollupMethod } from '@/lib/domain/rollup';

/* Do a `sum` parent's children's targets add up to its target? Pure. */

export type Reconciliation = {
  /** The children's targets added up (null: no child has a target). */
  childrenTotal: string | null;
  /** How far the children's total is from the target (never negative; `state` says which way). */
  gap: string | null;
  state: 'no_target' | 'no_children_targets' | 'matches' | 'short' | 'over';
  /** Children without a target in the period (they count as nothing). */
  missing: number;
};

/**
 * Whether the children's targets of a period add up to a `sum` parent's target: the total, the
 * gap and its direction. Children without a target count as nothing and are counted in `missing`.
 */
export function reconcileTargets(
  parentTarget: string | null,
  childTargets: readonly (string | null)[],
): Reconciliation {
  const present = childTargets.filter((t): t is string => t !== null);
  const missing = childTargets.length - present.length;
  const total =
    present.length === 0 ? null : present.reduce((a, t) => a.plus(toDec(t)), new Dec(0));
  const childrenTotal = total === null ? null : toPlainString(total);
  if (parentTarget === null) return { childrenTotal, gap: null, state: 'no_target', missing };
  if (total === null) return { childrenTotal, gap: null, state: 'no_children_targets', missing };
  const gap = toDec(parentTarget).minus(total);
  return {
    childrenTotal,
    gap: toPlainString(gap.abs()),
    state: gap.isZero() ? 'matches' : gap.isPos() ? 'short' : 'over',
    missing,
  };
}

type Measure = { measureUnit: MeasureUnit; currency: string | null; decimals: number };

/** "Children plan 96,000 of 100,000: 4,000 short", or why there is nothing to compare. */
export function reconciliationText(
  r: Reconciliation,
  target: string | null,
  m: Measure,
  locale: string,
): string {
  const f = (v: string | null) => formatValue(v, m, locale);
  switch (r.state) {
    case 'no_target':
      return 'No target to compare with';
    case 'no_children_targets':
      return 'Children have no targets';
    case 'matches':
      return `Children plan ${f(r.childrenTotal)}: adds up`;
    case 'short':
      return `Children plan ${f(r.childrenTotal)} of ${f(target)}: ${f(r.gap)} short`;
    case 'over':
      return `Children plan ${f(r.childrenTotal)} of ${f(target)}: ${f(r.gap)} over`;
  }
}

type TreeKpi = Measure & {
  id: string;
  parentId: string | null;
  rollup: RollupMethod;
  cadence: Cadence;
  archivedOn: string | null;
  current: { target: string | null };
};

/**
 * For the explorer's mark: each active `sum` parent among `kpis` whose active children of its
 * cadence have targets in the current period that do not add up to its own, with the text.
 */
export function currentTargetGaps(kpis: readonly TreeKpi[], locale: string): Map<string, string> {
  const gaps = new Map<string, string>();
  for (const parent of kpis) {
    if (parent.rollup !== 'sum' || parent.archivedOn) continue;
    const children = kpis.filter(
      (k) => k.parentId === parent.id && !k.archivedOn && k.cadence === parent.cadence,
    );
    if (children.length === 0) continue;
    const r = reconcileTargets(
      parent.current.target,
      children.map((c) => c.current.target),
    );
    if (r.state === 'short' || r.state === 'over') {
      gaps.set(parent.id, reconciliationText(r, parent.current.target, parent, locale));
    }
  }
  return gaps;
}
