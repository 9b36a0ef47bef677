import { Dec, type DecValue } from '@/lib/domain/decimal';
import { lagCorrelations, leadVerdict, MIN_PAIRS, type LeadVerdict } from './leading';
import { quantile, trendForecast } from './methods';

/*
 * A proven lead informing the lagging KPI's forecast (issue 24, item 3), pure: the trend forecast
 * of the lagging KPI plus a least squares line through the trend's past one-step errors against
 * the lead's period change `lag` periods before each forecast period. Where the lead really moves
 * the lagging KPI `lag` periods later, the line explains what the trend misses; where it does not,
 * its slope is about 0 and the forecast stays the trend's. Both series cover the same complete
 * periods, oldest first (null: no value); the lead is already at the lagging KPI's cadence.
 * Whether it is used at all is decided by the backtest (LEAD_INFORMED_IN_PROJECTION).
 */

/**
 * Does the lead-informed forecast replace the trend in the lagging KPI's projection? Only where
 * `npm run forecast:backtest` showed it beating the trend on the KPI periods that have a proven
 * lead (see the README's figures).
 */
export const LEAD_INFORMED_IN_PROJECTION = true;

/** A lead proven on history: significant correlation at a lag of at least one period. */
export type ProvenLead = { lag: number; r: number; n: number };

/** The proven lead in a verdict, or null (too little history, weak, none, or same period). */
export function provenLead(verdict: LeadVerdict): ProvenLead | null {
  if (verdict.kind !== 'leads' || verdict.lag < 1) return null;
  return { lag: verdict.lag, r: verdict.r, n: verdict.n };
}

/** The verdict on the history given (numbers for the correlation), then the proven lead in it. */
export function provenLeadOf(
  lead: readonly (DecValue | null)[],
  lagging: readonly (DecValue | null)[],
): ProvenLead | null {
  const num = (s: readonly (DecValue | null)[]) => s.map((v) => (v === null ? null : v.toNumber()));
  return provenLead(leadVerdict(lagCorrelations(num(lead), num(lagging))));
}

/** The lead's change into period t - lag (null without both values). */
function leadChange(lead: readonly (DecValue | null)[], t: number, lag: number): DecValue | null {
  const a = lead[t - lag];
  const b = lead[t - lag - 1];
  return a == null || b == null ? null : a.minus(b);
}

/** The trend's error and the lead's change for each past period the pair can be read for. */
function pairsBefore(
  lagging: readonly (DecValue | null)[],
  lead: readonly (DecValue | null)[],
  lag: number,
  until: number,
): { x: DecValue; e: DecValue }[] {
  const out: { x: DecValue; e: DecValue }[] = [];
  for (let t = Math.max(3, lag + 1); t < until; t += 1) {
    const actual = lagging[t];
    const x = leadChange(lead, t, lag);
    if (actual == null || x === null) continue;
    const trend = trendForecast(lagging.slice(0, t));
    if (trend === null) continue;
    out.push({ x, e: actual.minus(trend) });
  }
  return out;
}

/** Intercept and slope of the least squares line e = a + b x. */
function fitLine(points: readonly { x: DecValue; e: DecValue }[]): { a: DecValue; b: DecValue } {
  const n = new Dec(points.length);
  const mx = points.reduce((s, p) => s.plus(p.x), new Dec(0)).div(n);
  const me = points.reduce((s, p) => s.plus(p.e), new Dec(0)).div(n);
  let sxx = new Dec(0);
  let sxe = new Dec(0);
  for (const p of points) {
    const dx = p.x.minus(mx);
    sxx = sxx.plus(dx.times(dx));
    sxe = sxe.plus(dx.times(p.e.minus(me)));
  }
  const b = sxx.isZero() ? new Dec(0) : sxe.div(sxx);
  return { a: me.minus(b.times(mx)), b };
}

/**
 * The lead-informed forecast of the period after `lagging` (both series end with the same
 * complete period): the trend plus the line's estimate for the lead's change `lag - 1` periods
 * before the last (the change that lands `lag` periods later, in the forecast period). Null
 * (use the trend) with fewer than MIN_PAIRS past pairs or without that change.
 */
export function leadInformedForecast(
  lagging: readonly (DecValue | null)[],
  lead: readonly (DecValue | null)[],
  lag: number,
): DecValue | null {
  if (lag < 1) return null;
  const t = lagging.length;
  const trend = trendForecast(lagging);
  const x = leadChange(lead, t, lag);
  if (trend === null || x === null) return null;
  const pairs = pairsBefore(lagging, lead, lag, t);
  if (pairs.length < MIN_PAIRS) return null;
  const { a, b } = fitLine(pairs);
  return trend.plus(a).plus(b.times(x));
}

/**
 * The absolute percentage errors of the lead-informed one-step forecasts over the history (each
 * from the periods before it), skipping actuals of 0 and periods it cannot forecast: its range.
 */
export function leadInformedErrors(
  lagging: readonly (DecValue | null)[],
  lead: readonly (DecValue | null)[],
  lag: number,
): number[] {
  const errors: number[] = [];
  for (let t = 3; t < lagging.length; t += 1) {
    const actual = lagging[t];
    if (actual == null || actual.isZero()) continue;
    const f = leadInformedForecast(lagging.slice(0, t), lead.slice(0, t), lag);
    if (f === null) continue;
    errors.push(f.minus(actual).abs().div(actual.abs()).toNumber());
  }
  return errors;
}

/** What informing changes in a projection: the shift of the forecast and the range's share. */
export type LeadAdjustment = {
  /** Informed forecast minus the trend forecast, for the whole period. */
  shift: DecValue;
  /** The informed forecast of the whole period. */
  base: DecValue;
  /** The 80th percentile of its past errors (null: no range from history). */
  errorQuantile: number | null;
  errorsUsed: number;
};

/** The adjustment a proven lead makes to the lagging KPI's next-period forecast, or null. */
export function leadAdjustment(
  lagging: readonly (DecValue | null)[],
  lead: readonly (DecValue | null)[],
  lag: number,
  rangeQuantile: number,
): LeadAdjustment | null {
  const informed = leadInformedForecast(lagging, lead, lag);
  const trend = trendForecast(lagging);
  if (informed === null || trend === null) return null;
  const errors = leadInformedErrors(lagging, lead, lag);
  return {
    shift: informed.minus(trend),
    base: informed,
    errorQuantile: quantile(errors, rangeQuantile),
    errorsUsed: errors.length,
  };
}
