import type { TimeAggregation } from '@/lib/domain/aggregation';
import { Dec, toDec, toPlainString, type DecValue } from '@/lib/domain/decimal';

/*
 * Target planning, pure: an annual (or quarterly) target phased into a KPI's periods, and an
 * amount split over weights (the split down the cascade uses the same exact distribution).
 *
 * Semantics, by the KPI's time aggregation:
 * - `sum` (a flow: sales, sign-ups): the amount is spread over the periods by weights, rounded to
 *   the KPI's decimals by the largest-remainder rule, so the periods add up EXACTLY to the amount.
 *   even: equal weights; ramp: weights grow linearly from `start` (first period) to `end` (last),
 *   relative to each other (100 -> 150: the last period plans half as much again as the first);
 *   growth: each period plans `stepPercent` more than the one before; seasonal: one weight a period.
 * - `last` / `average` (a level: headcount, churn rate): the amount is the level to reach, so
 *   phasing interpolates instead of dividing. even: every period has the target; ramp: the first
 *   period has `start`, the last has the target, linear between; growth: the last period has the
 *   target and each earlier one `stepPercent` less, compounded; seasonal: the target times each
 *   weight over the mean weight (so the periods average the target before rounding). Values are
 *   rounded half up to the KPI's decimals.
 */

export type Phasing =
  | { method: 'even' }
  | { method: 'ramp'; start: string; end: string }
  | { method: 'growth'; stepPercent: string }
  | { method: 'seasonal'; weights: readonly string[] };

export type PhasingMethod = Phasing['method'];

export const PHASING_METHODS = [
  'even',
  'ramp',
  'growth',
  'seasonal',
] as const satisfies readonly PhasingMethod[];

export type PhaseResult = { ok: true; values: string[] } | { ok: false; error: string };

/** Decimal places of a decimal string as written (`"12.50"` has 1 significant place: 1). */
export function decimalPlacesOf(v: string): number {
  return toDec(v).decimalPlaces();
}

/**
 * Splits `total` over `weights` (each >= 0, at least one > 0) at `decimals` places so that the
 * parts add up exactly to `total`: each part is rounded toward zero, then the leftover units of
 * the last place go one each to the parts with the largest rounding remainders (ties: the earlier
 * part). Deterministic. Null when the weights are unusable or `total` has more places than
 * `decimals`.
 */
export function distributeExactly(
  total: string,
  weights: readonly string[],
  decimals: number,
): string[] | null {
  const t = toDec(total);
  if (t.decimalPlaces() > decimals || weights.length === 0) return null;
  const ws = weights.map(toDec);
  if (ws.some((w) => w.isNeg())) return null;
  const sumW = ws.reduce((a, w) => a.plus(w), new Dec(0));
  if (sumW.isZero()) return null;
  const sign = t.isNeg() ? -1 : 1;
  const abs = t.abs();
  const raw = ws.map((w) => abs.times(w).div(sumW));
  const floors = raw.map((r) => r.toDecimalPlaces(decimals, Dec.ROUND_DOWN));
  const unit = new Dec(10).pow(-decimals);
  const left = abs.minus(floors.reduce((a, f) => a.plus(f), new Dec(0)));
  const extra = left.div(unit).round().toNumber();
  const order = raw
    .map((r, i) => ({ i, rem: r.minus(floors[i] as DecValue) }))
    .sort((a, b) => b.rem.cmp(a.rem) || a.i - b.i);
  for (let k = 0; k < extra; k += 1) {
    const idx = (order[k % order.length] as { i: number }).i;
    floors[idx] = (floors[idx] as DecValue).plus(unit);
  }
  return floors.map((f) => toPlainString(sign < 0 ? f.neg() : f));
}

/** The i-th of n points on the line from `from` (first) to `to` (last); `to` when n is 1. */
function lerp(from: DecValue, to: DecValue, i: number, n: number): DecValue {
  return n === 1
    ? to
    : from.plus(
        to
          .minus(from)
          .times(i)
          .div(n - 1),
      );
}

/** The seasonal weights as decimals, or what is wrong with them. */
function seasonalWeights(weights: readonly string[], n: number): DecValue[] | string {
  if (weights.length !== n) return `Give one weight for each of the ${n} periods`;
  const ws = weights.map(toDec);
  if (ws.some((w) => w.isNeg())) return 'Weights must be 0 or more';
  if (ws.every((w) => w.isZero())) return 'At least one weight must be more than 0';
  return ws;
}

const GROWTH_ERROR = 'A growth step must be more than -100%';

function growthFactor(stepPercent: string): DecValue | null {
  const g = toDec(stepPercent);
  if (g.lte(-100)) return null;
  return g.div(100).plus(1);
}

/** The relative weights of `n` periods under `phasing` (flows), or an error. */
function flowWeights(phasing: Phasing, n: number): string[] | string {
  switch (phasing.method) {
    case 'even':
      return Array.from({ length: n }, () => '1');
    case 'ramp': {
      const s = toDec(phasing.start);
      const e = toDec(phasing.end);
      if (s.isNeg() || e.isNeg() || (s.isZero() && e.isZero()))
        return 'Ramp shares must be 0 or more, and not both 0';
      return Array.from({ length: n }, (_, i) => toPlainString(lerp(s, e, i, n)));
    }
    case 'growth': {
      const f = growthFactor(phasing.stepPercent);
      if (!f) return GROWTH_ERROR;
      return Array.from({ length: n }, (_, i) => toPlainString(f.pow(i)));
    }
    case 'seasonal': {
      const ws = seasonalWeights(phasing.weights, n);
      return typeof ws === 'string' ? ws : ws.map(toPlainString);
    }
  }
}

/** The level of each of `n` periods under `phasing`, unrounded (levels), or an error. */
function levelValues(target: DecValue, phasing: Phasing, n: number): DecValue[] | string {
  switch (phasing.method) {
    case 'even':
      return Array.from({ length: n }, () => target);
    case 'ramp': {
      const s = toDec(phasing.start);
      return Array.from({ length: n }, (_, i) => lerp(s, target, i, n));
    }
    case 'growth': {
      const f = growthFactor(phasing.stepPercent);
      if (!f) return GROWTH_ERROR;
      return Array.from({ length: n }, (_, i) => target.div(f.pow(n - 1 - i)));
    }
    case 'seasonal': {
      const ws = seasonalWeights(phasing.weights, n);
      if (typeof ws === 'string') return ws;
      const sum = ws.reduce((a, w) => a.plus(w), new Dec(0));
      return ws.map((w) => target.times(w).times(n).div(sum));
    }
  }
}

/**
 * Phases `amount` (the target of a year or quarter) into `periodCount` periods of a KPI with
 * `aggregation` and `decimals`, by the rules in this module's header. Flows add up exactly to
 * `amount`; an amount with more decimal places than the KPI shows is refused for flows.
 */
export function phaseTarget(input: {
  amount: string;
  periodCount: number;
  aggregation: TimeAggregation;
  decimals: number;
  phasing: Phasing;
}): PhaseResult {
  const { amount, periodCount: n, aggregation, decimals, phasing } = input;
  if (n < 1) return { ok: false, error: 'There are no periods to plan' };
  if (aggregation === 'sum') {
    if (decimalPlacesOf(amount) > decimals) {
      return {
        ok: false,
        error: `Use at most ${decimals} decimal places: this KPI shows ${decimals}`,
      };
    }
    const weights = flowWeights(phasing, n);
    if (typeof weights === 'string') return { ok: false, error: weights };
    const values = distributeExactly(amount, weights, decimals);
    return values
      ? { ok: true, values }
      : { ok: false, error: 'At least one weight must be more than 0' };
  }
  const levels = levelValues(toDec(amount), phasing, n);
  if (typeof levels === 'string') return { ok: false, error: levels };
  return {
    ok: true,
    values: levels.map((v) => toPlainString(v.toDecimalPlaces(decimals, Dec.ROUND_HALF_UP))),
  };
}
