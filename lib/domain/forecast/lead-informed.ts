import { Dec, type DecValue } from '@/lib/domain/decimal';
import { lagCorrelations, leadVerdict, MIN_PAIRS, type LeadVerdict } from './leading';
import { toNumbers, trendForecast, trendNumber } from './methods';

/*
 * A proven lead informing the lagging KPI's forecast (issue 24, item 3), pure.
 *
 * The model: the trend forecast of the lagging KPI plus a line through the trend's past one-step
 * errors against the lead's period change `lag` periods before each forecast period, its slope
 * shrunk towards 0 by how little the errors' line rests on (b x n / (n + LEAD_SHRINK_PAIRS)),
 * centred on the lead's mean change (a lead moving as usual adds nothing; the model does not
 * correct the trend's own bias). Where the lead really moves the lagging KPI `lag` periods later,
 * the line explains part of what the trend misses; where it does not, its slope is about 0.
 *
 * The gate (leadGate): a lead informs the projection only where it EARNED it on this KPI's own
 * past, out of sample. Walking forward over the history, at each past period the lead-informed
 * forecast is made only from the periods before it (the lead proven on them alone, at the lag
 * proven then, the line fitted on them alone) next to the trend's; the lead is used when, over
 * at least LEAD_MIN_SCORED such periods, its mean absolute error is at least LEAD_MARGIN below
 * the trend's, and it is proven on the whole history now. Else the projection stays the trend's,
 * and the gate says why. `npm run forecast:backtest` scores the rule (README).
 *
 * The statistics are plain numbers (the forecast's decimals stay exact up to the adjustment the
 * line adds). Series cover the same complete periods, oldest first (null: no value); the lead is
 * already at the lagging KPI's cadence.
 */

/** A lead proven on history: significant correlation at a lag of at least one period. */
export type ProvenLead = { lag: number; r: number; n: number };

/** Fewest past periods the walk-forward must score before a lead can earn its place. */
export const LEAD_MIN_SCORED = 10;

/** How much lower the lead-informed mean absolute error must be than the trend's (a share). */
export const LEAD_MARGIN = 0.1;

/** The slope is shrunk by n / (n + this), n the pairs it is fitted on. */
export const LEAD_SHRINK_PAIRS = 8;

/** The proven lead in a verdict, or null (too little history, weak, none, or same period). */
export function provenLead(verdict: LeadVerdict): ProvenLead | null {
  if (verdict.kind !== 'leads' || verdict.lag < 1) return null;
  return { lag: verdict.lag, r: verdict.r, n: verdict.n };
}

type Num = number | null;

/** The verdict on the history given (numbers for the correlation), then the proven lead in it. */
export function provenLeadOf(
  lead: readonly (DecValue | null)[],
  lagging: readonly (DecValue | null)[],
): ProvenLead | null {
  return provenLead(leadVerdict(lagCorrelations(toNumbers(lead), toNumbers(lagging))));
}

/**
 * The trend's one-step errors over the series (actual minus the trend forecast made from the
 * periods before it, trendNumber), from the fourth period on; null where there is no actual or
 * forecast.
 */
export function trendErrors(lagging: readonly (DecValue | null)[]): Num[] {
  const numbers = toNumbers(lagging);
  return numbers.map((actual, t) => {
    if (t < 3 || actual == null) return null;
    const f = trendNumber(numbers, t);
    return f === null ? null : actual - f;
  });
}

/** What a lagging KPI's history gives the model: its values, the trend's errors, as numbers. */
export type LaggingHistory = {
  values: readonly (DecValue | null)[];
  numbers: readonly Num[];
  errors: readonly Num[];
};

/** The history of a lagging KPI as leadGate and leadAdjustment read it. */
export function laggingHistory(values: readonly (DecValue | null)[]): LaggingHistory {
  return { values, numbers: toNumbers(values), errors: trendErrors(values) };
}

/** The lead's change into period t (null without both values). */
function change(lead: readonly Num[], t: number): Num {
  if (t < 1) return null;
  const a = lead[t];
  const b = lead[t - 1];
  return a == null || b == null ? null : a - b;
}

/**
 * The adjustment the line fitted on periods before `until` gives the trend forecast of period
 * `until` (the lead's change landing then: `lag` periods before), or null with fewer than
 * MIN_PAIRS pairs or without that change.
 */
function adjustmentAt(
  errors: readonly Num[],
  lead: readonly Num[],
  lag: number,
  until: number,
): number | null {
  const x = change(lead, until - lag);
  if (x === null) return null;
  const xs: number[] = [];
  const es: number[] = [];
  for (let t = Math.max(3, lag + 1); t < until; t += 1) {
    const e = errors[t];
    const c = change(lead, t - lag);
    if (e == null || c === null) continue;
    xs.push(c);
    es.push(e);
  }
  const n = xs.length;
  if (n < MIN_PAIRS) return null;
  const mx = xs.reduce((a, b) => a + b, 0) / n;
  const me = es.reduce((a, b) => a + b, 0) / n;
  let sxx = 0;
  let sxe = 0;
  for (let i = 0; i < n; i += 1) {
    const dx = (xs[i] as number) - mx;
    sxx += dx * dx;
    sxe += dx * ((es[i] as number) - me);
  }
  const slope = sxx === 0 ? 0 : (sxe / sxx) * (n / (n + LEAD_SHRINK_PAIRS));
  return slope * (x - mx);
}

/** A decimal of a plain number's shortest round-trip digits (finite). */
function decOf(x: number): DecValue {
  return new Dec(String(x));
}

/**
 * The lead-informed forecast of the period after `lagging` at a given lag (both series end with
 * the same complete period): the trend plus the line's adjustment. Null (use the trend) with
 * fewer than MIN_PAIRS past pairs, without the lead's change that lands next, or a lag below 1.
 */
export function leadInformedForecast(
  lagging: readonly (DecValue | null)[],
  lead: readonly (DecValue | null)[],
  lag: number,
): DecValue | null {
  if (lag < 1) return null;
  const trend = trendForecast(lagging);
  if (trend === null) return null;
  const adj = adjustmentAt(trendErrors(lagging), toNumbers(lead), lag, lagging.length);
  return adj === null ? null : trend.plus(decOf(adj));
}

/** How the lead did against the trend on this KPI's own past, walking forward. */
export type LeadRecord = { scored: number; leadMae: number; trendMae: number };

/** What the gate says about one lead of a KPI (see the header). */
export type LeadGate =
  /** Not a lead at a lag of at least one period on this history (too little, weak, none). */
  | { kind: 'not_proven' }
  /** Proven, but its change that lands in the next period is not known. */
  | { kind: 'no_signal'; lead: ProvenLead }
  /** Proven, but too few past periods could be forecast with it to judge. */
  | { kind: 'too_few_scored'; lead: ProvenLead; record: LeadRecord }
  /** Proven, but on this KPI's past it did not beat the trend by the margin. */
  | { kind: 'not_better'; lead: ProvenLead; record: LeadRecord }
  /** Earned: what it adds to the trend forecast of the next period (exact decimal). */
  | { kind: 'earned'; lead: ProvenLead; record: LeadRecord; adjustment: string };

/**
 * The gate for one lead of a lagging KPI over the same complete periods (see the header): the
 * walk-forward record over every past period, then whether the lead earned its place.
 */
export function leadGate(
  history: LaggingHistory,
  leadValues: readonly (DecValue | null)[],
): LeadGate {
  const lead = toNumbers(leadValues);
  const { numbers, errors } = history;
  const len = numbers.length;
  const now = provenLead(leadVerdict(lagCorrelations(lead, numbers)));
  if (!now) return { kind: 'not_proven' };
  let scored = 0;
  let leadSum = 0;
  let trendSum = 0;
  for (let s = 0; s < len; s += 1) {
    const e = errors[s];
    if (e == null) continue;
    const then = provenLead(leadVerdict(lagCorrelations(lead.slice(0, s), numbers.slice(0, s))));
    if (!then) continue;
    const adj = adjustmentAt(errors, lead, then.lag, s);
    if (adj === null) continue;
    scored += 1;
    leadSum += Math.abs(e - adj);
    trendSum += Math.abs(e);
  }
  const record: LeadRecord = {
    scored,
    leadMae: scored ? leadSum / scored : 0,
    trendMae: scored ? trendSum / scored : 0,
  };
  if (scored < LEAD_MIN_SCORED) return { kind: 'too_few_scored', lead: now, record };
  if (!(record.leadMae <= (1 - LEAD_MARGIN) * record.trendMae) || record.trendMae === 0) {
    return { kind: 'not_better', lead: now, record };
  }
  const adj = adjustmentAt(errors, lead, now.lag, len);
  if (adj === null) return { kind: 'no_signal', lead: now };
  return { kind: 'earned', lead: now, record, adjustment: decOf(adj).toFixed() };
}

/**
 * The lead a projection uses among several gates (by lead id): the earned one with the lowest
 * ratio of its mean absolute error to the trend's, ties to the first; null when none earned it.
 */
export function chosenLead<T extends { gate: LeadGate }>(checks: readonly T[]): T | null {
  let best: T | null = null;
  const ratio = (g: LeadGate) =>
    g.kind === 'earned' ? g.record.leadMae / g.record.trendMae : Number.POSITIVE_INFINITY;
  for (const c of checks) {
    if (c.gate.kind === 'earned' && (best === null || ratio(c.gate) < ratio(best.gate))) best = c;
  }
  return best;
}

/** One lead's gate, by the lead's id. */
export type LeadCheck = { leadId: string; gate: LeadGate };

/**
 * The gate of each lead of one lagging KPI over the same complete periods (the trend's errors
 * computed once, and only when some lead is proven), and the one used (chosenLead).
 */
export function leadChecks(
  lagging: readonly (DecValue | null)[],
  leads: readonly { leadId: string; values: readonly (DecValue | null)[] }[],
): { checks: LeadCheck[]; used: LeadCheck | null } {
  let history: LaggingHistory | null = null;
  const numbers = toNumbers(lagging);
  const checks = leads.map(({ leadId, values }): LeadCheck => {
    // the proof first (plain numbers, cheap): most leads stop there
    if (!provenLead(leadVerdict(lagCorrelations(toNumbers(values), numbers)))) {
      return { leadId, gate: { kind: 'not_proven' } };
    }
    history ??= laggingHistory(lagging);
    return { leadId, gate: leadGate(history, values) };
  });
  return { checks, used: chosenLead(checks) };
}
