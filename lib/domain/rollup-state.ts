import { Dec, sumDec, toDec, toPlainString } from '@/lib/domain/decimal';
import type { TimeAggregation } from '@/lib/domain/aggregation';
import type { ChildContribution, RollupMethod } from '@/lib/domain/rollup';

/*
 * The rollup state of a period value: the exact sums behind a value that is a quotient, stored
 * next to it (`kpi_period_values.state_sum`, `state_weight`) so that a check-in can update its
 * chain by difference, without reading the siblings (the SQL function `kpi_rollup_checkins` of
 * db/migrations/0028_rollup_state.sql). This module is the definition: the engine
 * (cascade-compute.ts) computes the state with every value it computes, every writer stores it,
 * and `db:verify` checks the stored state against it.
 *
 * - a `manual` KPI with time aggregation `average`: the sum of the period's check-ins (its count
 *   is the value's sample count);
 * - an `average` parent: the sum of its reporting children's contributions (their count is
 *   children reported);
 * - a `weighted_average` parent: the sum of contribution x weight, and the sum of the weights, of
 *   its reporting children;
 * - anything else: no state (a `sum` value is its own sum; `last`, `min`, `max` and formulas are
 *   not updated by difference).
 */

/**
 * The state of one period value: absent (or null, as read from the database) where the kind
 * keeps none, so a value without state compares and prints as before.
 */
export type RollupState = { stateSum?: string | null; stateWeight?: string | null };

/** No state. */
export const NO_ROLLUP_STATE: RollupState = {};

/** The state of a `manual` KPI's period from the values of its check-ins in that period. */
export function manualRollupState(
  timeAggregation: TimeAggregation,
  values: readonly string[],
): RollupState {
  if (timeAggregation !== 'average' || values.length === 0) return NO_ROLLUP_STATE;
  return { stateSum: toPlainString(sumDec(values)) };
}

/**
 * The state of a computing KPI's period from its included children's contributions (null value:
 * not reporting), as `rollupChildren` combines them.
 */
export function childrenRollupState(
  method: RollupMethod,
  contributions: readonly ChildContribution[],
): RollupState {
  if (method !== 'average' && method !== 'weighted_average') return NO_ROLLUP_STATE;
  const reported = contributions.filter(
    (c): c is { value: string; weight: string } => c.value !== null,
  );
  if (reported.length === 0) return NO_ROLLUP_STATE;
  if (method === 'average') {
    return { stateSum: toPlainString(sumDec(reported.map((c) => c.value))) };
  }
  let weighted = new Dec(0);
  let weights = new Dec(0);
  for (const c of reported) {
    const weight = toDec(c.weight);
    weighted = weighted.plus(toDec(c.value).times(weight));
    weights = weights.plus(weight);
  }
  return { stateSum: toPlainString(weighted), stateWeight: toPlainString(weights) };
}

/** True when two states are equal (sums compared as decimals; a missing state is none). */
export function sameRollupState(a: RollupState | null, b: RollupState | null): boolean {
  const same = (x: string | null | undefined, y: string | null | undefined): boolean =>
    x == null || y == null ? (x ?? null) === (y ?? null) : toDec(x).eq(toDec(y));
  return same(a?.stateSum, b?.stateSum) && same(a?.stateWeight, b?.stateWeight);
}
