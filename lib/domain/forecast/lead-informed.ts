import { Dec, type DecValue } from '@/lib/domain/decimal';
import { lagCorrelations, leadVerdict, MIN_PAIRS, type LeadVerdict } from './leading';
import { trendForecast } from './methods';

/*
 * A proven lead informing the lagging KPI's forecast (issue 24, item 3), pure: the trend forecast
 * of the lagging KPI plus a least squares line through the trend's past one-step errors against
 * the lead's period change `lag` periods before each forecast period. Where the lead really moves
 * the lagging KPI `lag` periods later, the line explains what the trend misses; where it does not,
 * its slope is about 0 and the forecast stays the trend's. Both series cover the same complete
 * periods, oldest first (null: no value); the lead is already at the lagging KPI's cadence.
 *
 * Projections do not use it: on `npm run forecast:backtest` it lost to the trend on the KPI
 * periods with a lead proven on their past, on the demo and the synthetic organizations alike
 * (it won only on the control group of pairs built to lead, see the README). The KPI page names
 * a proven lead and says so.
 */

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
 * Did the lead-informed forecast beat the trend on this KPI's own history (mean absolute
 * percentage error of their one-step forecasts over the same periods)?
 */
export function beatsTrendOnPast(
  lagging: readonly (DecValue | null)[],
  lead: readonly (DecValue | null)[],
  lag: number,
): boolean {
  let informed = 0;
  let trend = 0;
  let n = 0;
  for (let t = 3; t < lagging.length; t += 1) {
    const actual = lagging[t];
    if (actual == null || actual.isZero()) continue;
    const f = leadInformedForecast(lagging.slice(0, t), lead.slice(0, t), lag);
    const g = trendForecast(lagging.slice(0, t));
    if (f === null || g === null) continue;
    informed += f.minus(actual).abs().div(actual.abs()).toNumber();
    trend += g.minus(actual).abs().div(actual.abs()).toNumber();
    n += 1;
  }
  return n >= MIN_PAIRS && informed < trend;
}
