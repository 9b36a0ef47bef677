import { addDays, daysBetween } from '@/lib/domain/dates';
import { Dec, toDec, type DecValue } from '@/lib/domain/decimal';
import { periodEndExclusive, type Cadence } from '@/lib/domain/periods';

/*
 * One-step forecasting methods over a KPI's period values (issue 24, item 1), pure: `naive` (the
 * last value: the benchmark every method must beat), `trend` (a least squares line through the
 * recent values), `seasonal` (the same period a year earlier, scaled by how the last few periods
 * compare with the same periods a year before) and, inside an open period of a flow, the value
 * so far plus the share of the period still to come, by the flow's own intra-period shape, of
 * the whole period's forecast. `series` holds complete periods, oldest first; null is a period
 * without a value. Values and what is added to them stay exact decimals; the statistical
 * estimates are plain numbers where exactness buys nothing (issue 21): the least squares line
 * is fitted in floating point and its forecast kept to TREND_DIGITS significant digits, and the
 * past errors (ratios that only rank and weigh) are computed from it in floating point.
 */

/** A forecasting method. */
export type ForecastMethod = 'naive' | 'trend' | 'seasonal';

/**
 * The method projections use for the rest of a period: the trend, the one that beat the naive
 * forecast on both the demo and the synthetic history (`npm run forecast:backtest`; the seasonal
 * method lost to it on the demo).
 */
export const PROJECTION_METHOD: ForecastMethod = 'trend';

/** How many recent periods the trend line is fitted to. */
export const TREND_WINDOW = 12;

/** How many recent periods scale the seasonal forecast. */
export const SEASONAL_WINDOW = 3;

/** The last value of the series, or null when it has none. */
export function naiveForecast(series: readonly (DecValue | null)[]): DecValue | null {
  for (let i = series.length - 1; i >= 0; i -= 1) {
    const v = series[i];
    if (v != null) return v;
  }
  return null;
}

/**
 * The least squares line through the last TREND_WINDOW values (x = period index), evaluated
 * `ahead` periods after the last (1: the next period); the naive forecast with fewer than three
 * values.
 */
export function trendForecast(series: readonly (DecValue | null)[], ahead = 1): DecValue | null {
  const line = trendLine(series);
  return line ? line(ahead) : naiveForecast(series);
}

/**
 * Significant digits kept of a trend forecast: what a double holds reliably (15), so a line
 * through exact values gives the exact continuation (10, 12, 14, 16: 18), not 18.000000000000004.
 */
export const TREND_DIGITS = 15;

/** A plain number's forecast as a decimal of TREND_DIGITS significant digits (finite). */
function trendDec(x: number): DecValue {
  return new Dec(x.toPrecision(TREND_DIGITS));
}

/**
 * The least squares line of trendForecast, fitted once (in floating point), as the value `ahead`
 * periods after the last; null with fewer than three values.
 */
export function trendLine(
  series: readonly (DecValue | null)[],
): ((ahead: number) => DecValue) | null {
  const line = lineOf(toNumbers(series), series.length);
  return line ? (ahead) => trendDec(line(ahead)) : null;
}

/** A series as plain numbers (null stays null). */
export function toNumbers(series: readonly (DecValue | null)[]): (number | null)[] {
  return series.map((v) => (v === null ? null : v.toNumber()));
}

/**
 * The least squares line through the last TREND_WINDOW values before index `end` (x = index),
 * in floating point, as the value `ahead` periods after `end - 1`; null with fewer than three.
 */
function lineOf(
  values: readonly (number | null)[],
  end: number,
): ((ahead: number) => number) | null {
  const start = Math.max(0, end - TREND_WINDOW);
  let n = 0;
  let sumX = 0;
  let sumY = 0;
  for (let i = start; i < end; i += 1) {
    const y = values[i];
    if (y == null) continue;
    n += 1;
    sumX += i;
    sumY += y;
  }
  if (n < 3) return null;
  const meanX = sumX / n;
  const meanY = sumY / n;
  let sxx = 0;
  let sxy = 0;
  for (let i = start; i < end; i += 1) {
    const y = values[i];
    if (y == null) continue;
    const dx = i - meanX;
    sxx += dx * dx;
    sxy += dx * (y - meanY);
  }
  const slope = sxx === 0 ? 0 : sxy / sxx;
  return (ahead) => meanY + slope * (end - 1 + ahead - meanX);
}

/**
 * trendForecast of the next period from the values before index `end`, as a plain number (the
 * last value with fewer than three; null without any): what past errors are measured with.
 */
export function trendNumber(values: readonly (number | null)[], end: number): number | null {
  const line = lineOf(values, end);
  if (line) return line(1);
  for (let i = end - 1; i >= 0; i -= 1) {
    const v = values[i];
    if (v != null) return v;
  }
  return null;
}

/**
 * The same period a year (`periodsPerYear` periods) before the one `ahead` periods after the
 * series (1: the next one), times the ratio of the last SEASONAL_WINDOW values to the same
 * periods a year earlier (a year-on-year growth); null without that history (then use the
 * trend). Without a usable ratio (a missing value, a sum of the earlier year at or below 0), the
 * value a year before as it is.
 */
export function seasonalForecast(
  series: readonly (DecValue | null)[],
  periodsPerYear: number,
  ahead = 1,
): DecValue | null {
  const n = series.length;
  if (periodsPerYear <= 1 || ahead > periodsPerYear || n < periodsPerYear) return null;
  const yearAgo = series[n - periodsPerYear + ahead - 1];
  if (yearAgo == null) return null;
  if (n < periodsPerYear + SEASONAL_WINDOW) return yearAgo;
  let recent = new Dec(0);
  let before = new Dec(0);
  for (let i = n - SEASONAL_WINDOW; i < n; i += 1) {
    const a = series[i];
    const b = series[i - periodsPerYear];
    if (a == null || b == null) return yearAgo;
    recent = recent.plus(a);
    before = before.plus(b);
  }
  if (before.lte(0) || recent.lt(0)) return yearAgo;
  return yearAgo.times(recent).div(before);
}

/**
 * The forecast of a method for the period `ahead` periods after the series (1: the next one; the
 * naive forecast is the last value whatever the distance).
 */
export function forecastWith(
  method: ForecastMethod,
  series: readonly (DecValue | null)[],
  periodsPerYear: number,
  ahead = 1,
): DecValue | null {
  switch (method) {
    case 'naive':
      return naiveForecast(series);
    case 'trend':
      return trendForecast(series, ahead);
    case 'seasonal':
      return seasonalForecast(series, periodsPerYear, ahead) ?? trendForecast(series, ahead);
  }
}

/**
 * forecastWith for any distance ahead, fitted once: projections of several periods after the
 * same series (the months still to come in a quarter) evaluate one line.
 */
export function forecasterWith(
  method: ForecastMethod,
  series: readonly (DecValue | null)[],
  periodsPerYear: number,
): (ahead: number) => DecValue | null {
  if (method === 'naive') return () => naiveForecast(series);
  const line = trendLine(series);
  const trend = (ahead: number) => (line ? line(ahead) : naiveForecast(series));
  if (method === 'trend') return trend;
  return (ahead) => seasonalForecast(series, periodsPerYear, ahead) ?? trend(ahead);
}

/**
 * The absolute percentage errors of a method's one-step forecasts over the series (each period
 * forecast from the ones before it, from the `minHistory`-th on), skipping actuals of 0; plain
 * numbers (the trend's forecasts too, before they are rounded to TREND_DIGITS).
 */
export function pastErrors(
  method: ForecastMethod,
  series: readonly (DecValue | null)[],
  periodsPerYear: number,
  minHistory = 3,
): number[] {
  const numbers = toNumbers(series);
  const errors: number[] = [];
  for (let t = minHistory; t < series.length; t += 1) {
    const actual = numbers[t];
    if (actual == null || actual === 0) continue;
    const seasonal =
      method === 'seasonal' ? seasonalForecast(series.slice(0, t), periodsPerYear) : null;
    const forecast =
      seasonal !== null
        ? seasonal.toNumber()
        : method === 'naive'
          ? (naiveForecast(series.slice(0, t))?.toNumber() ?? null)
          : trendNumber(numbers, t);
    if (forecast === null) continue;
    errors.push(Math.abs(forecast - actual) / Math.abs(actual));
  }
  return errors;
}

/** How many past periods a flow's intra-period shape is read from. */
export const SHAPE_WINDOW = 12;

/**
 * Weight, in periods, of the prior that a flow arrives evenly (the arrived share equals the
 * elapsed share) against its observed shape: a fixed rule, not fitted on the backtest.
 */
export const SHAPE_PRIOR_PERIODS = 2;

/** One past period of a flow: its total, and what of it had arrived by the same elapsed point. */
export type ArrivalSample = { total: DecValue; soFar: DecValue };

/**
 * The share of a flow period's total that has usually arrived by an elapsed point (`elapsed`,
 * 0..1), from past periods read at the same point: the ratio of their sums (so lumpy readings
 * count by their size), shrunk towards `elapsed` with the weight of SHAPE_PRIOR_PERIODS periods,
 * within 0..1. `elapsed` itself without past periods whose totals add up to more than 0.
 */
export function arrivedShare(samples: readonly ArrivalSample[], elapsed: number): number {
  const used = samples.slice(-SHAPE_WINDOW);
  const total = used.reduce((a, s) => a.plus(s.total), new Dec(0));
  if (used.length === 0 || total.lte(0)) return elapsed;
  const soFar = used.reduce((a, s) => a.plus(s.soFar), new Dec(0));
  const observed = Math.min(1, Math.max(0, soFar.div(total).toNumber()));
  return (
    (used.length * observed + SHAPE_PRIOR_PERIODS * elapsed) / (used.length + SHAPE_PRIOR_PERIODS)
  );
}

/** A dated reading of a flow (a check-in). */
export type Reading = { observedOn: string; value: string };

/**
 * The last day of the period starting `start` within its first `elapsed` share (the day before
 * `start` when no whole day is): the same point of a past period as `elapsed` of the open one,
 * whatever the periods' lengths.
 */
export function samePoint(start: string, cadence: Cadence, elapsed: number): string {
  const days = daysBetween(start, periodEndExclusive(start, cadence));
  return addDays(start, Math.floor(elapsed * days + 1e-9) - 1);
}

/** The sum of the readings dated from `start` to `through` (both included). */
export function readingsThrough(
  readings: readonly Reading[],
  start: string,
  through: string,
): DecValue {
  let sum = new Dec(0);
  for (const r of readings) {
    if (r.observedOn >= start && r.observedOn <= through) sum = sum.plus(toDec(r.value));
  }
  return sum;
}

/**
 * The past periods of a flow read at the same elapsed point as the open one: each period start
 * with its total (skipped when null) and its readings up to samePoint. Oldest first.
 */
export function arrivalSamples(
  readings: readonly Reading[],
  periods: readonly { start: string; total: DecValue | null }[],
  cadence: Cadence,
  elapsed: number,
): ArrivalSample[] {
  return periods.flatMap(({ start, total }) =>
    total === null
      ? []
      : [{ total, soFar: readingsThrough(readings, start, samePoint(start, cadence, elapsed)) }],
  );
}

/**
 * A flow's whole period from inside it: the credibility blend `weight` x (so far / `arrived`) +
 * (1 - `weight`) x `wholePeriod`, of the run rate by the flow's shape (the value so far over the
 * share of a period that has usually arrived by now, arrivedShare) and a forecast of the whole
 * period. With `weight` = `arrived` (the default) it is the Bornhuetter-Ferguson estimate, so far
 * plus the share still to come of the forecast; `credibility` gives the weight the flow's own
 * past earns. The forecast as it is when nothing has usually arrived yet.
 */
export function intraPeriodForecast(
  soFar: DecValue,
  wholePeriod: DecValue,
  arrived: number,
  weight = arrived,
): DecValue {
  if (arrived <= 0) return wholePeriod;
  const share = new Dec(arrived);
  const rest = (x: DecValue) => new Dec(1).minus(x);
  if (weight === arrived) return soFar.plus(wholePeriod.times(rest(share)));
  const w = new Dec(weight);
  return soFar
    .div(share)
    .times(w)
    .plus(wholePeriod.times(rest(w)));
}

/**
 * The credibility of the run rate by the shape (so far / arrived) against the forecast of the
 * whole period, Bühlmann-style: the forecast's mean squared relative error over both's, each
 * measured on the same past periods (the run rate by the shape from `samples` read at the same
 * point, the forecast from `forecastErrors`, its one-step relative errors); shrunk towards
 * `arrived` (where it makes intraPeriodForecast) with the weight of SHAPE_PRIOR_PERIODS periods.
 */
export function credibility(
  samples: readonly ArrivalSample[],
  arrived: number,
  forecastErrors: readonly number[],
): number {
  const used = samples.slice(-SHAPE_WINDOW).filter((s) => s.total.gt(0));
  const errs = forecastErrors.slice(-SHAPE_WINDOW);
  if (arrived <= 0 || used.length === 0 || errs.length === 0) return arrived;
  const runRate =
    used.reduce((a, s) => {
      const e = s.soFar.div(arrived).minus(s.total).div(s.total).toNumber();
      return a + e * e;
    }, 0) / used.length;
  const forecast = errs.reduce((a, e) => a + e * e, 0) / errs.length;
  const z = runRate + forecast > 0 ? forecast / (runRate + forecast) : arrived;
  const n = Math.min(used.length, errs.length);
  return (n * z + SHAPE_PRIOR_PERIODS * arrived) / (n + SHAPE_PRIOR_PERIODS);
}

/** The q-quantile (0..1) of some numbers by the nearest rank; null for none. */
export function quantile(values: readonly number[], q: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[rank] ?? null;
}

/** Decimal strings as the series the methods read. */
export function toSeries(values: readonly (string | null)[]): (DecValue | null)[] {
  return values.map((v) => (v === null ? null : toDec(v)));
}
