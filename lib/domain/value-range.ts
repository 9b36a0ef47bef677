import { Dec, toDec, type DecValue } from './decimal';
import { formatValue, type MeasureUnit } from './format';

/*
 * Values that make sense (DESIGN.md, "Targets, progress and status"): a KPI's valid range, which
 * every write of a reading enforces, and the "unusual value" rule, which asks a person to confirm
 * (forms) or flags the value (CSV, API) when it is far from the KPI's recent readings. Pure rules:
 * the DAL loads the KPI and its recent readings and calls these.
 */

/** A KPI's valid range: null on a side means unbounded. Bounds are exact decimal strings. */
export type ValueRange = { validMin: string | null; validMax: string | null };

/** What the messages need to name a KPI's range and values as people read them. */
export type RangeKpi = ValueRange & {
  name: string;
  measureUnit: MeasureUnit;
  currency: string | null;
  decimals: number;
};

/** The range a new KPI gets unless one is given: percent KPIs 0-100, everything else unbounded. */
export function defaultValidRange(measureUnit: MeasureUnit): ValueRange {
  return measureUnit === 'percent'
    ? { validMin: '0', validMax: '100' }
    : { validMin: null, validMax: null };
}

/** The field problem of a range whose lower bound is above its upper bound (null when fine). */
export function rangeOrderProblem(range: ValueRange): string | null {
  if (range.validMin === null || range.validMax === null) return null;
  return toDec(range.validMin).gt(toDec(range.validMax))
    ? 'The lower bound must not be above the upper bound'
    : null;
}

/** Formats a value with the KPI's unit and exactly the decimals it has (102.5%, 0%: never rounded). */
function show(kpi: RangeKpi, value: string, locale: string): string {
  return formatValue(value, { ...kpi, decimals: toDec(value).decimalPlaces() }, locale);
}

/** "between 0% and 100%", "at least 0", "at most 100%"; null for an unbounded range. */
export function describeRange(kpi: RangeKpi, locale: string): string | null {
  const { validMin: min, validMax: max } = kpi;
  if (min !== null && max !== null)
    return `between ${show(kpi, min, locale)} and ${show(kpi, max, locale)}`;
  if (min !== null) return `at least ${show(kpi, min, locale)}`;
  if (max !== null) return `at most ${show(kpi, max, locale)}`;
  return null;
}

/** Whether a value lies inside a range (bounds included). */
export function isInRange(value: string, range: ValueRange): boolean {
  const v = toDec(value);
  if (range.validMin !== null && v.lt(toDec(range.validMin))) return false;
  if (range.validMax !== null && v.gt(toDec(range.validMax))) return false;
  return true;
}

/**
 * The refusal of a value outside the KPI's valid range, naming the range ("Availability must be
 * between 0% and 100%; 102% is outside it."), or null when the value lies inside it (bounds
 * included) or the KPI has no range.
 */
export function valueRangeProblem(kpi: RangeKpi, value: string, locale: string): string | null {
  if (isInRange(value, kpi)) return null;
  return `${kpi.name} must be ${describeRange(kpi, locale)}; ${show(kpi, value, locale)} is outside it.`;
}

/** Readings the unusual-value rule looks at: the latest six before the new one. */
export const RECENT_READINGS = 6;
/** Fewer recent readings than this: no judgement. */
export const MIN_RECENT_READINGS = 3;
/** A value more than this many times the usual magnitude, or under its inverse, is unusual. */
export const UNUSUAL_FACTOR = 10;

/** Why a value is unusual: its magnitude against the usual one, or its sign. */
export type UnusualValue = {
  kind: 'high' | 'low' | 'sign';
  /** The median of the absolute values of the recent readings. */
  usual: string;
  /** |value| / usual, rounded to a whole number (high) or its inverse (low); null for sign. */
  factor: number | null;
};

function median(values: readonly DecValue[]): DecValue {
  const sorted = [...values].sort((a, b) => a.cmp(b));
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : sorted[mid - 1]!.plus(sorted[mid]!).dividedBy(2);
}

/**
 * Whether a new value is far from the KPI's recent readings (the latest `RECENT_READINGS`, newest
 * first; older ones are ignored). Not judged with fewer than `MIN_RECENT_READINGS`. With `usual`
 * the median of their absolute values:
 * - `sign`: every recent reading is non-zero with one sign and the value has the other;
 * - `high`: |value| > 10 x usual; `low`: |value| < usual / 10 (usual above zero).
 * Zero is never unusual (no incidents, no churn this month are ordinary readings), and a usual
 * magnitude of zero gives no scale to compare with. Exact decimals throughout.
 */
export function unusualValue(value: string, recent: readonly string[]): UnusualValue | null {
  const readings = recent.slice(0, RECENT_READINGS).map(toDec);
  if (readings.length < MIN_RECENT_READINGS) return null;
  const v = toDec(value);
  if (v.isZero()) return null;
  const usual = median(readings.map((r) => r.abs()));
  const usualText = usual.toFixed();
  const allPositive = readings.every((r) => r.gt(0));
  const allNegative = readings.every((r) => r.lt(0));
  if ((allPositive && v.lt(0)) || (allNegative && v.gt(0))) {
    return { kind: 'sign', usual: usualText, factor: null };
  }
  if (usual.isZero()) return null;
  const magnitude = v.abs();
  if (magnitude.gt(usual.times(UNUSUAL_FACTOR))) {
    const factor = magnitude.dividedBy(usual).toDecimalPlaces(0, Dec.ROUND_DOWN).toNumber();
    return { kind: 'high', usual: usualText, factor };
  }
  if (magnitude.times(UNUSUAL_FACTOR).lt(usual)) {
    const factor = usual.dividedBy(magnitude).toDecimalPlaces(0, Dec.ROUND_DOWN).toNumber();
    return { kind: 'low', usual: usualText, factor };
  }
  return null;
}

/**
 * What a person reads about an unusual value: "This is 12x your usual value (about 806,405 USD,
 * the median of the last 6 readings)." Forms add the question; CSV and API show it as a warning.
 */
export function describeUnusual(
  kpi: RangeKpi,
  value: string,
  finding: UnusualValue,
  locale: string,
): string {
  const usual = `about ${formatValue(finding.usual, kpi, locale)}, the median of recent readings`;
  switch (finding.kind) {
    case 'high':
      return `This is ${finding.factor}x your usual value (${usual}).`;
    case 'low':
      return `This is 1/${finding.factor} of your usual value (${usual}).`;
    case 'sign':
      return `${show(kpi, value, locale)} is ${toDec(value).lt(0) ? 'negative' : 'positive'}, unlike every recent reading (${usual}).`;
  }
}

/** The confirmation a form asks for an unusual value. */
export function unusualQuestion(
  kpi: RangeKpi,
  value: string,
  finding: UnusualValue,
  locale: string,
): string {
  return `${describeUnusual(kpi, value, finding, locale)} Save anyway?`;
}
