import type { TimeAggregation } from '@/lib/domain/aggregation';
import { Dec, roundValue, toDec, toPlainString } from '@/lib/domain/decimal';
import type { DecValue } from '@/lib/domain/decimal';
import { elapsedFraction, isOpenPeriod } from '@/lib/domain/periods';
import type { Cadence } from '@/lib/domain/periods';
import { shareOfTarget } from '@/lib/domain/share';

/** Which way is good: `increase` = higher is better, `decrease` = lower is better. */
export type Direction = 'increase' | 'decrease';

/** All directions. */
export const DIRECTIONS = ['increase', 'decrease'] as const satisfies readonly Direction[];

/**
 * Status of a KPI for a period: a traffic light, or `in_progress` for a flow early in its open
 * period (not graded yet: shown with its pace, never red or amber), or `no_data`.
 */
export type Status = 'on_track' | 'at_risk' | 'off_track' | 'in_progress' | 'no_data';

/** All statuses, best first, then `in_progress` (not graded yet), `no_data` last. */
export const STATUSES = [
  'on_track',
  'at_risk',
  'off_track',
  'in_progress',
  'no_data',
] as const satisfies readonly Status[];

/** Graded statuses: the traffic lights. */
export const GRADED_STATUSES = [
  'on_track',
  'at_risk',
  'off_track',
] as const satisfies readonly Status[];

/**
 * Grading settings of an organization: on track from `green`, at risk from `amber` (progress
 * against the reference); a flow in its open period stays `in_progress` until `minElapsed` (a
 * share of the period, 0 <= minElapsed < 1) has elapsed.
 */
export type Thresholds = { green: number; amber: number; minElapsed: number };

/** Default share of an open period after which flows are graded against pace: one third. */
export const DEFAULT_MIN_ELAPSED = 0.3333;

/** Default thresholds: on track at 100% of the reference, at risk from 85%, graded after a third. */
export const DEFAULT_THRESHOLDS: Thresholds = Object.freeze({
  green: 1.0,
  amber: 0.85,
  minElapsed: DEFAULT_MIN_ELAPSED,
});

/**
 * Reads the organization's minimum elapsed share (a `numeric` column, as a string): a decimal
 * within 0 <= share < 1 (the column's check constraint). Throws on anything else, so a bad
 * setting is a loud error, never a silent regrading of every flow.
 */
export function parseMinElapsed(raw: string | number): number {
  const text = String(raw).trim();
  const share = /^(0|[1-9][0-9]*)?(\.[0-9]+)?$/.test(text) && text !== '' ? Number(text) : NaN;
  if (!Number.isFinite(share) || share < 0 || share >= 1) {
    throw new RangeError(`The minimum elapsed share must be a decimal in [0, 1), got ${text}`);
  }
  return share;
}

/** The largest double below 1. */
const BELOW_ONE = 1 - Number.EPSILON / 2;

/** Inputs of `progressAgainst`; decimal strings for the numbers. */
export type ProgressInput = {
  actual: string;
  reference: string;
  direction: Direction;
  baseline: string | null;
  timeAggregation: TimeAggregation;
};

/**
 * Progress of `actual` against a reference target R (1 = reached), computed exactly and returned
 * as a number for display and status. `increase`: actual / R, or with a baseline B
 * (actual - B) / (R - B); `decrease`: R / actual, or with a baseline (B - actual) / (B - R).
 * The baseline applies to `last` and `average` KPIs only; `sum` KPIs ignore it. Where the
 * denominator is zero or negative, progress is 1 when the actual is on the good side of R (or
 * equal to it), else 0. Not clamped: it may exceed 1 or fall below 0. Progress is >= 1 exactly
 * when the actual is on the good side of R.
 */
export function progressAgainst(input: ProgressInput): number {
  const actual = toDec(input.actual);
  const reference = toDec(input.reference);
  const baseline =
    input.baseline !== null && input.timeAggregation !== 'sum' ? toDec(input.baseline) : null;
  const increase = input.direction === 'increase';
  const onGoodSide = increase ? actual.gte(reference) : actual.lte(reference);

  let numerator: DecValue;
  let denominator: DecValue;
  if (increase) {
    numerator = baseline ? actual.minus(baseline) : actual;
    denominator = baseline ? reference.minus(baseline) : reference;
  } else {
    numerator = baseline ? baseline.minus(actual) : reference;
    denominator = baseline ? baseline.minus(reference) : actual;
  }
  if (denominator.lte(0)) return onGoodSide ? 1 : 0;
  const progress = numerator.div(denominator).toNumber();
  // A quotient just below 1 (say 1 - 1e-20) can round to the double 1: keep "reached" exact.
  if (!onGoodSide && progress >= 1) return BELOW_ONE;
  return progress === 0 ? 0 : progress;
}

/** Inputs of `referenceTarget`. */
export type ReferenceTargetInput = {
  target: string;
  timeAggregation: TimeAggregation;
  isOpenPeriod: boolean;
  /** Elapsed fraction of the period, 0..1 (see `elapsedFraction`). */
  elapsed: number;
};

/**
 * The target status is judged against: for a `sum` KPI in the current, still open period the
 * target pro-rated by the elapsed fraction (pace), rounded to `VALUE_SCALE` places; otherwise
 * the full target (normalized).
 */
export function referenceTarget(input: ReferenceTargetInput): string {
  const target = toDec(input.target);
  if (input.timeAggregation !== 'sum' || !input.isOpenPeriod) return toPlainString(target);
  if (!Number.isFinite(input.elapsed) || input.elapsed < 0 || input.elapsed > 1) {
    throw new RangeError(`Elapsed fraction must be within 0..1, got ${input.elapsed}`);
  }
  return roundValue(target.times(new Dec(input.elapsed)));
}

/**
 * Status from progress against the reference: `on_track` from the green threshold, `at_risk`
 * from the amber one, else `off_track`; `no_data` for null (no value or no target).
 */
export function statusFor(
  progressVsReference: number | null,
  thresholds: Pick<Thresholds, 'green' | 'amber'>,
): Status {
  if (progressVsReference === null || Number.isNaN(progressVsReference)) return 'no_data';
  if (progressVsReference >= thresholds.green) return 'on_track';
  if (progressVsReference >= thresholds.amber) return 'at_risk';
  return 'off_track';
}

/**
 * True while a KPI is not graded yet: a flow (`sum`) in its open period before `minElapsed` of
 * it has elapsed. Within that first share only new data changes what people see, never the clock.
 */
export function isUngraded(input: {
  timeAggregation: TimeAggregation;
  isOpenPeriod: boolean;
  elapsed: number;
  minElapsed: number;
}): boolean {
  return input.timeAggregation === 'sum' && input.isOpenPeriod && input.elapsed < input.minElapsed;
}

/** Inputs of `evaluatePeriod`: one KPI for one period as of `today` (org-local date). */
export type EvaluatePeriodInput = {
  actual: string | null;
  target: string | null;
  baseline: string | null;
  direction: Direction;
  timeAggregation: TimeAggregation;
  periodStart: string;
  cadence: Cadence;
  today: string;
  thresholds: Thresholds;
};

/** Target, reference, progress and status of one KPI for one period. */
export type PeriodEvaluation = {
  /** The period's target (normalized), null when none is set. */
  target: string | null;
  /** What status is judged against: the pace target or the full target (see `referenceTarget`). */
  reference: string | null;
  /** The actual as a share of the full target: the percent and bar people see (`shareOfTarget`). */
  share: number | null;
  /** Progress against the reference, which decides the status. */
  paceProgress: number | null;
  status: Status;
};

/**
 * Evaluates one KPI for one period. Without an actual the status is `no_data` (target and
 * reference still shown). Without a target the status is `no_data` as well and both progress
 * numbers are null; the actual itself is unaffected and the caller keeps showing it. A flow in
 * its open period is `in_progress` (with its pace) until `thresholds.minElapsed` has elapsed.
 */
export function evaluatePeriod(input: EvaluatePeriodInput): PeriodEvaluation {
  if (input.target === null) {
    return { target: null, reference: null, share: null, paceProgress: null, status: 'no_data' };
  }
  const target = toPlainString(toDec(input.target));
  const timing = {
    timeAggregation: input.timeAggregation,
    isOpenPeriod: isOpenPeriod(input.periodStart, input.cadence, input.today),
    elapsed: elapsedFraction(input.periodStart, input.cadence, input.today),
  };
  const reference = referenceTarget({ target, ...timing });
  if (input.actual === null) {
    return { target, reference, share: null, paceProgress: null, status: 'no_data' };
  }
  const common = {
    actual: input.actual,
    direction: input.direction,
    baseline: input.baseline,
    timeAggregation: input.timeAggregation,
  };
  const paceProgress = progressAgainst({ ...common, reference });
  return {
    target,
    reference,
    share: shareOfTarget(input.actual, target),
    paceProgress,
    status: isUngraded({ ...timing, minElapsed: input.thresholds.minElapsed })
      ? 'in_progress'
      : statusFor(paceProgress, input.thresholds),
  };
}
