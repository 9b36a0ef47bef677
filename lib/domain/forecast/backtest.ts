import { toDec, type DecValue } from '@/lib/domain/decimal';
import { addDays } from '@/lib/domain/dates';
import { shiftPeriod } from '@/lib/domain/formula/period-inputs';
import {
  cadenceMonths,
  elapsedFraction,
  periodEndExclusive,
  type Cadence,
} from '@/lib/domain/periods';
import type { TimeAggregation } from '@/lib/domain/aggregation';
import {
  arrivalSamples,
  arrivedShare,
  credibility,
  pastErrors,
  forecastWith,
  intraPeriodForecast,
  PROJECTION_METHOD,
  quantile,
  readingsThrough,
  SHAPE_WINDOW,
  type ForecastMethod,
} from './methods';

/*
 * The backtest behind `npm run forecast:backtest` (issue 24, item 4), pure: every KPI's complete
 * periods replayed one by one, each forecast only from what was known before it, scored by the
 * absolute percentage error against the actual (periods with an actual of 0 are skipped), always
 * next to the naive last-value forecast over exactly the same KPI periods:
 * - at the start of a period: naive, trend, seasonal (trend without a year of history) and the
 *   product's projection (PROJECTION_METHOD);
 * - half-way through a flow's period (from the check-ins dated in its first half; periods with
 *   fewer than two check-ins are left out, one reading says nothing half-way): naive and trend
 *   as at the start (they ignore the value so far), the run rate (so far / elapsed share), so
 *   far plus the elapsed share's rest of the trend (`elapsed_share`, the projection before the
 *   intra-period model), the run rate by the flow's shape in its past periods (so far / arrived
 *   share, `shape_run_rate`), so far plus the shape's rest of the trend (`shape_share`) and the
 *   product's projection: the credibility blend of the last two (intraPeriodForecast with the
 *   weight `credibility` gives from the KPI's past periods only).
 */

/** One KPI's history as the backtest reads it. */
export type BacktestKpi = {
  cadence: Cadence;
  timeAggregation: TimeAggregation;
  /** Complete periods: start -> value. */
  values: ReadonlyMap<string, string>;
  /** For flows with check-ins: the check-ins, to know the value half-way through a period. */
  checkins?: readonly { observedOn: string; value: string }[];
};

/** A method's score over a set of KPI periods. */
export type BacktestScore = { method: string; mape: number; medianApe: number; n: number };

/** Periods of history a forecast needs before it is scored. */
export const MIN_HISTORY = 3;

type Sample = Record<string, number>;

function ape(forecast: DecValue | null, actual: DecValue): number | null {
  if (forecast === null) return null;
  return forecast.minus(actual).abs().div(actual.abs()).toNumber();
}

/** Every method's error on one KPI period, or null when one of them has no forecast. */
function apes(forecasts: Record<string, DecValue | null>, actual: DecValue): Sample | null {
  const sample: Sample = {};
  for (const [m, f] of Object.entries(forecasts)) {
    const e = ape(f, actual);
    if (e === null) return null;
    sample[m] = e;
  }
  return sample;
}

function score(samples: readonly Sample[], methods: readonly string[]): BacktestScore[] {
  return methods.map((method) => {
    const errors = samples.map((s) => s[method] as number);
    const mape = errors.reduce((a, b) => a + b, 0) / Math.max(errors.length, 1);
    return { method, mape, medianApe: quantile(errors, 0.5) ?? 0, n: errors.length };
  });
}

/**
 * The scores at the start of periods and half-way through flows' periods, over the periods from
 * `from` (a date) to the last complete one of each KPI.
 */
export function runBacktest(
  kpis: readonly BacktestKpi[],
  from: string,
): { start: BacktestScore[]; midPeriod: BacktestScore[] } {
  const startSamples: Sample[] = [];
  const midSamples: Sample[] = [];
  for (const kpi of kpis) {
    const starts = [...kpi.values.keys()].sort();
    const first = starts[0];
    const last = starts[starts.length - 1];
    if (!first || !last) continue;
    const perYear = 12 / cadenceMonths(kpi.cadence);
    // every period from the first to the last (gaps as null)
    const all: string[] = [];
    for (let s = first; s <= last; s = shiftPeriod(s, kpi.cadence, -1)) all.push(s);
    const series = all.map((s) => {
      const v = kpi.values.get(s);
      return v === undefined ? null : toDec(v);
    });
    const productMethod: ForecastMethod = PROJECTION_METHOD;
    for (let t = MIN_HISTORY; t < all.length; t += 1) {
      const start = all[t] as string;
      const actual = series[t];
      if (start < from || actual == null || actual.isZero()) continue;
      const past = series.slice(0, t);
      const forecasts: Record<string, DecValue | null> = {
        naive: forecastWith('naive', past, perYear),
        trend: forecastWith('trend', past, perYear),
        seasonal: forecastWith('seasonal', past, perYear),
        projection: forecastWith(productMethod, past, perYear),
      };
      const sample = apes(forecasts, actual);
      if (sample) startSamples.push(sample);

      if (kpi.timeAggregation !== 'sum' || !kpi.checkins) continue;
      const end = periodEndExclusive(start, kpi.cadence);
      const mid = midPoint(start, kpi.cadence);
      const elapsed = elapsedFraction(start, kpi.cadence, mid);
      const inPeriod = kpi.checkins.filter((c) => c.observedOn >= start && c.observedOn < end);
      if (inPeriod.length < 2) continue; // one reading a period says nothing half-way through
      const soFar = readingsThrough(inPeriod, start, mid);
      const base = forecasts.projection ?? null;
      if (base === null) continue;
      const pastPeriods = all
        .slice(Math.max(0, t - SHAPE_WINDOW), t)
        .map((s, i) => ({ start: s, total: series[Math.max(0, t - SHAPE_WINDOW) + i] ?? null }));
      const samples = arrivalSamples(kpi.checkins, pastPeriods, kpi.cadence, elapsed);
      const arrived = arrivedShare(samples, elapsed);
      const weight = credibility(samples, arrived, pastErrors(productMethod, past, perYear));
      const mids: Record<string, DecValue | null> = {
        naive: forecasts.naive ?? null,
        trend: forecasts.trend ?? null,
        run_rate: soFar.div(elapsed),
        elapsed_share: intraPeriodForecast(soFar, base, elapsed),
        shape_run_rate: soFar.div(arrived),
        shape_share: intraPeriodForecast(soFar, base, arrived),
        projection: intraPeriodForecast(soFar, base, arrived, weight),
      };
      const midSample = apes(mids, actual);
      if (midSample) midSamples.push(midSample);
    }
  }
  return {
    start: score(startSamples, ['naive', 'trend', 'seasonal', 'projection']),
    midPeriod: score(midSamples, [
      'naive',
      'trend',
      'run_rate',
      'elapsed_share',
      'shape_run_rate',
      'shape_share',
      'projection',
    ]),
  };
}

/** Half-way point of a period (the day before its middle). */
export function midPoint(start: string, cadence: Cadence): string {
  const end = periodEndExclusive(start, cadence);
  const days = Math.round(
    (Date.parse(`${end}T00:00:00Z`) - Date.parse(`${start}T00:00:00Z`)) / 86_400_000,
  );
  return addDays(start, Math.floor(days / 2) - 1);
}
