import { Dec, roundValue, toDec, toPlainString } from '@/lib/domain/decimal';
import type { DecValue } from '@/lib/domain/decimal';

/**
 * Rollup: how a parent KPI combines its children's values for a period. `manual` means the
 * children only show alignment and never change the parent's value; `formula` computes the value
 * from other KPIs named in an expression (lib/domain/formula/), children only show alignment.
 */
export type RollupMethod =
  'manual' | 'sum' | 'average' | 'weighted_average' | 'min' | 'max' | 'formula';

/** A rollup that computes the parent's value from its children. */
export type ArithmeticRollup = Exclude<RollupMethod, 'manual' | 'formula'>;

/** All rollup methods. */
export const ROLLUP_METHODS = [
  'manual',
  'sum',
  'average',
  'weighted_average',
  'min',
  'max',
  'formula',
] as const satisfies readonly RollupMethod[];

/** The rollups that compute a value from children (all but `manual` and `formula`). */
export const ARITHMETIC_ROLLUPS = [
  'sum',
  'average',
  'weighted_average',
  'min',
  'max',
] as const satisfies readonly ArithmeticRollup[];

/** True for rollups that compute the parent's value from its children. */
export function isArithmeticRollup(method: RollupMethod): method is ArithmeticRollup {
  return method !== 'manual' && method !== 'formula';
}

/**
 * One included child's contribution for a period: its value (null when it has none for the
 * period) and its weight (a positive decimal string, used by `weighted_average` only).
 */
export type ChildContribution = { value: string | null; weight: string };

/** A rolled-up value with the "7 of 9 reported" counts. */
export type RollupResult = { value: string | null; reported: number; expected: number };

type Reported = { value: DecValue; weight: DecValue; index: number };

function reportedChildren(children: readonly ChildContribution[]): Reported[] {
  const reported: Reported[] = [];
  children.forEach((child, index) => {
    if (child.value === null) return;
    const weight = toDec(child.weight);
    if (!weight.gt(0)) throw new RangeError(`A weight must be positive, got ${child.weight}`);
    reported.push({ value: toDec(child.value), weight, index });
  });
  return reported;
}

/** Index (into `reported`) of the first child holding the min or max value. */
function extremeIndex(reported: readonly Reported[], method: 'min' | 'max'): number {
  let best = 0;
  reported.forEach((r, i) => {
    const current = reported[best];
    if (current && (method === 'min' ? r.value.lt(current.value) : r.value.gt(current.value))) {
      best = i;
    }
  });
  return best;
}

/**
 * Combines the children's values for one period. Children without a value are left out and
 * counted as missing: `expected` is the number of children, `reported` those with a value, and
 * the value is null when none reported. `sum`, `min` and `max` are exact; `average` and
 * `weighted_average` (sum of value x weight over sum of weights of reporting children) are
 * rounded to `VALUE_SCALE` places. Weights must be positive (throws a RangeError otherwise).
 */
export function rollupChildren(
  method: ArithmeticRollup,
  children: readonly ChildContribution[],
): RollupResult {
  const reported = reportedChildren(children);
  const counts = { reported: reported.length, expected: children.length };
  if (reported.length === 0) return { value: null, ...counts };
  const values = reported.map((r) => r.value);
  let value: string;
  switch (method) {
    case 'sum':
      value = toPlainString(values.reduce((a, b) => a.plus(b), new Dec(0)));
      break;
    case 'average':
      value = roundValue(values.reduce((a, b) => a.plus(b), new Dec(0)).div(reported.length));
      break;
    case 'weighted_average': {
      const weighted = reported.reduce((a, r) => a.plus(r.value.times(r.weight)), new Dec(0));
      const totalWeight = reported.reduce((a, r) => a.plus(r.weight), new Dec(0));
      value = roundValue(weighted.div(totalWeight));
      break;
    }
    case 'min':
    case 'max': {
      const chosen = reported[extremeIndex(reported, method)];
      value = toPlainString(chosen ? chosen.value : new Dec(0));
      break;
    }
  }
  return { value, ...counts };
}

/**
 * Each child's share of the parent's value, for the "this number =" breakdown (display only,
 * so plain numbers), in the children's order; null for children without a value. `sum`: value /
 * total (all 0 when the total is 0; shares may be negative or above 1 with negative values);
 * `average`: 1/n; `weighted_average`: weight / sum of reporting weights; `min`/`max`: 1 for the
 * chosen child (the first one holding the extreme value), 0 for the others; `manual`: 0, since
 * children do not change a manual parent.
 */
export function contributionShares(
  method: RollupMethod,
  children: readonly ChildContribution[],
): (number | null)[] {
  const reported = reportedChildren(children);
  const shares: (number | null)[] = children.map(() => null);
  if (reported.length === 0) return shares;
  const set = (r: Reported, share: DecValue | number): void => {
    const n = typeof share === 'number' ? share : share.toNumber();
    shares[r.index] = n === 0 ? 0 : n; // no -0 in display values
  };
  switch (method) {
    case 'manual':
    case 'formula':
      reported.forEach((r) => set(r, 0));
      break;
    case 'sum': {
      const total = reported.reduce((a, r) => a.plus(r.value), new Dec(0));
      reported.forEach((r) => set(r, total.isZero() ? 0 : r.value.div(total)));
      break;
    }
    case 'average':
      reported.forEach((r) => set(r, new Dec(1).div(reported.length)));
      break;
    case 'weighted_average': {
      const totalWeight = reported.reduce((a, r) => a.plus(r.weight), new Dec(0));
      reported.forEach((r) => set(r, r.weight.div(totalWeight)));
      break;
    }
    case 'min':
    case 'max': {
      const chosen = extremeIndex(reported, method);
      reported.forEach((r, i) => set(r, i === chosen ? 1 : 0));
      break;
    }
  }
  return shares;
}
