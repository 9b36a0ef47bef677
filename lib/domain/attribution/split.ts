import { Dec, decEquals, toDec, VALUE_SCALE, type DecValue } from '@/lib/domain/decimal';
import type { FormulaNode } from '@/lib/domain/formula/ast';
import type { MissingPolicy } from '@/lib/domain/formula/catalogue';
import { plainDec40 } from '@/lib/domain/formula/decimal40';
import { evaluateFormula } from '@/lib/domain/formula/evaluate';
import type { ArithmeticRollup } from '@/lib/domain/rollup';

/*
 * Variance attribution, the arithmetic (issue 24, item 2): a computed KPI's gap to target for one
 * period (actual - target) split into what each child or formula driver contributes, in exact
 * decimals, so that the parts add up to the gap EXACTLY:
 * - `sum`: each child's actual minus its target (a child without a value counts as 0, as the
 *   rollup leaves it out; a child without a target as 0); plus, when the parent's own target is
 *   not the sum of its children's targets, a "target difference" line (children's targets minus
 *   the parent's target).
 * - `average` / `weighted_average` (DESIGN: sum of value x weight over the weights of the children
 *   that reported): each reporting child's weight / W x (actual - target), W the reporting
 *   weights; a child that did not report moves nothing (0); a child without a target is taken
 *   as on target (an average of rates has no natural "0" target). The target difference is the
 *   weighted average of the reporting children's targets minus the parent's target.
 * - `min` / `max`: the chosen child (the first holding the extreme, as the rollup picks it) carries
 *   its own actual minus target; the target difference is its target minus the parent's.
 * - formulas: Shapley values over the inputs moving from their targets to their actuals (each
 *   input's average marginal effect over every order of moving them), exact in decimals; with
 *   more than MAX_SHAPLEY_PLAYERS moving inputs, the marginal effects of moving them one by one
 *   in reading order instead. The target difference is the formula at its inputs' targets minus
 *   the KPI's own target (none when the target shown is the implied one).
 * Divisions (weights, Shapley weights) are computed at 60 significant digits, each part rounded
 * to ATTRIBUTION_SCALE places, and what rounding leaves over (at most a few units in the last
 * place) is added to the part of largest absolute size, the first one on ties: deterministic.
 */

/** Decimal places of every contribution (the stored value scale). */
export const ATTRIBUTION_SCALE = VALUE_SCALE;

/** Most moving formula inputs attributed by exact Shapley values (2^n evaluations). */
export const MAX_SHAPLEY_PLAYERS = 12;

/**
 * Rounds each raw part to `scale` places and adds the residue (total minus the sum of the rounded
 * parts) to the part of largest absolute raw value (the first on ties), so the result sums to
 * `total` exactly when `total` has at most `scale` places. An empty list stays empty.
 */
export function allocateExactly(
  raw: readonly DecValue[],
  total: DecValue,
  scale: number = ATTRIBUTION_SCALE,
): DecValue[] {
  if (raw.length === 0) return [];
  const rounded = raw.map((r) => r.toDecimalPlaces(scale, Dec.ROUND_HALF_UP));
  const residue = rounded.reduce((acc, r) => acc.minus(r), new Dec(total));
  let largest = 0;
  raw.forEach((r, i) => {
    const best = raw[largest];
    if (best && r.abs().gt(best.abs())) largest = i;
  });
  return rounded.map((r, i) => (i === largest ? r.plus(residue) : r));
}

/**
 * Splits `to` over `parts` in proportion to how `parts` split `from` (a child's own breakdown
 * scaled to what the child contributes to its parent). Null when `from` is zero (a child on
 * target that still contributes, for example by not reporting, has no breakdown to scale).
 */
export function scaleParts(
  parts: readonly DecValue[],
  from: DecValue,
  to: DecValue,
): DecValue[] | null {
  if (from.isZero()) return null;
  return allocateExactly(
    parts.map((p) => p.times(to).div(from)),
    to,
  );
}

/** One child as a rollup split reads it (values of the parent's period, exact strings). */
export type SplitChild = { actual: string | null; target: string | null; weight: string };

/** Raw (unrounded) parts: one per child, in order, and the target difference. */
export type RawSplit = { parts: DecValue[]; targetDifference: DecValue };

const dec = (v: string | null, otherwise: DecValue): DecValue =>
  v === null ? otherwise : toDec(v);

/**
 * The raw parts of a rollup parent's gap (see the header), before rounding: they add up to the
 * exact rollup of the children's actuals minus the parent's target. `parentTarget` is the
 * parent's target for the period.
 */
export function rollupParts(
  method: ArithmeticRollup,
  children: readonly SplitChild[],
  parentTarget: string,
): RawSplit {
  const target = toDec(parentTarget);
  const zero = new Dec(0);
  switch (method) {
    case 'sum': {
      const parts = children.map((c) => dec(c.actual, zero).minus(dec(c.target, zero)));
      const childTargets = children.reduce((acc, c) => acc.plus(dec(c.target, zero)), zero);
      return { parts, targetDifference: childTargets.minus(target) };
    }
    case 'average':
    case 'weighted_average': {
      const weightOf = (c: SplitChild) => (method === 'average' ? new Dec(1) : toDec(c.weight));
      const total = children.reduce(
        (acc, c) => (c.actual === null ? acc : acc.plus(weightOf(c))),
        zero,
      );
      if (total.isZero()) return { parts: children.map(() => zero), targetDifference: zero };
      let weightedTargets = zero;
      const parts = children.map((c) => {
        if (c.actual === null) return zero;
        const actual = toDec(c.actual);
        const childTarget = dec(c.target, actual);
        weightedTargets = weightedTargets.plus(weightOf(c).times(childTarget));
        return weightOf(c).times(actual.minus(childTarget)).div(total);
      });
      return { parts, targetDifference: weightedTargets.div(total).minus(target) };
    }
    case 'min':
    case 'max': {
      let chosen = -1;
      children.forEach((c, i) => {
        if (c.actual === null) return;
        const best = chosen < 0 ? null : children[chosen]?.actual;
        const v = toDec(c.actual);
        if (best == null || (method === 'min' ? v.lt(toDec(best)) : v.gt(toDec(best)))) chosen = i;
      });
      const parts = children.map(() => zero);
      const picked = children[chosen];
      if (!picked || picked.actual === null) return { parts, targetDifference: zero };
      const actual = toDec(picked.actual);
      const childTarget = dec(picked.target, actual);
      parts[chosen] = actual.minus(childTarget);
      return { parts, targetDifference: childTarget.minus(target) };
    }
  }
}

/** One distinct read of a formula, with its value at the actuals and at the targets. */
export type FormulaRead = {
  key: string;
  periodsBack: number;
  actual: string | null;
  target: string | null;
};

/** How a formula's gap was split: exact Shapley values, or one input at a time in order. */
export type FormulaSplitMethod = 'shapley' | 'sequential';

/**
 * The raw parts of a formula's gap: one per read (in the order given), adding up to the formula
 * at the actuals minus the formula at the targets; `atTargets` is the latter. Null when the
 * formula has no value at the actuals, at the targets, or at some mix of the two (a division by
 * zero or a missing input on the way): then no split adds up, and none is invented.
 */
export function formulaParts(
  formula: FormulaNode,
  policy: MissingPolicy,
  reads: readonly FormulaRead[],
): { parts: DecValue[]; atTargets: DecValue; method: FormulaSplitMethod } | null {
  const players = reads.flatMap((r, i) => (decEquals(r.actual, r.target) ? [] : [i]));
  const lookup = new Map(reads.map((r, i) => [`${r.periodsBack}:${r.key}`, i]));
  const valueOf = (moved: ReadonlySet<number>): DecValue | null => {
    const outcome = evaluateFormula(
      formula,
      (key, back) => {
        const i = lookup.get(`${back}:${key}`);
        const r = i === undefined ? undefined : reads[i];
        if (!r || i === undefined) return null;
        return moved.has(i) ? r.actual : r.target;
      },
      policy,
    );
    return outcome.value === null ? null : new Dec(plainDec40(outcome.value));
  };
  const atTargets = valueOf(new Set());
  if (atTargets === null) return null;
  const parts = reads.map(() => new Dec(0));
  const n = players.length;
  if (n === 0) return { parts, atTargets, method: 'shapley' };

  if (n > MAX_SHAPLEY_PLAYERS) {
    const moved = new Set<number>();
    let before = atTargets;
    for (const p of players) {
      moved.add(p);
      const after = valueOf(moved);
      if (after === null) return null;
      parts[p] = after.minus(before);
      before = after;
    }
    return { parts, atTargets, method: 'sequential' };
  }

  const values: DecValue[] = [];
  for (let mask = 0; mask < 1 << n; mask += 1) {
    const moved = new Set(players.filter((_, j) => (mask & (1 << j)) !== 0));
    const v = mask === 0 ? atTargets : valueOf(moved);
    if (v === null) return null;
    values.push(v);
  }
  // Shapley weight of a coalition of size s not holding the player: s! (n - s - 1)! / n!
  const factorial = [new Dec(1)];
  for (let i = 1; i <= n; i += 1) factorial.push((factorial[i - 1] as DecValue).times(i));
  const nFact = factorial[n] as DecValue;
  const weight = (s: number) =>
    (factorial[s] as DecValue).times(factorial[n - s - 1] as DecValue).div(nFact);
  players.forEach((p, j) => {
    const bit = 1 << j;
    let phi = new Dec(0);
    for (let mask = 0; mask < 1 << n; mask += 1) {
      if ((mask & bit) !== 0) continue;
      const gain = (values[mask | bit] as DecValue).minus(values[mask] as DecValue);
      if (!gain.isZero()) phi = phi.plus(gain.times(weight(popCount(mask))));
    }
    parts[p] = phi;
  });
  return { parts, atTargets, method: 'shapley' };
}

function popCount(mask: number): number {
  let count = 0;
  for (let m = mask; m !== 0; m &= m - 1) count += 1;
  return count;
}
