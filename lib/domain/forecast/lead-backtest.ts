import { toDec, type DecValue } from '@/lib/domain/decimal';
import { MIN_HISTORY, type BacktestScore } from './backtest';
import { beatsTrendOnPast, leadInformedForecast, provenLeadOf } from './lead-informed';
import { naiveForecast, quantile, trendForecast } from './methods';

/*
 * The lead-informed method in `npm run forecast:backtest` (issue 24, item 3), pure: for each
 * lagging KPI with leading KPIs (fed by them, or linked), every complete period is forecast from
 * what was known before it; where a lead was proven on that past alone (a significant correlation
 * at a lag of at least one period), the lead-informed forecast of the strongest proven lead is
 * scored next to the naive and trend forecasts on exactly the same KPI periods.
 */

/** A lagging KPI's complete periods and its leads' values over the same periods (oldest first). */
export type LeadBacktestGroup = {
  starts: readonly string[];
  lagging: readonly (string | null)[];
  leads: readonly (readonly (string | null)[])[];
};

/** The scores, and how many lagging KPIs had a lead proven at least once. */
export type LeadBacktestResult = { scores: BacktestScore[]; kpisWithProvenLead: number };

const METHODS = ['naive', 'trend', 'lead_informed', 'lead_gated'] as const;

function ape(forecast: DecValue | null, actual: DecValue): number | null {
  return forecast === null ? null : forecast.minus(actual).abs().div(actual.abs()).toNumber();
}

/** Scores over the periods from `from` (a date) on. */
export function runLeadBacktest(
  groups: readonly LeadBacktestGroup[],
  from: string,
): LeadBacktestResult {
  const samples: Record<(typeof METHODS)[number], number>[] = [];
  let kpisWithProvenLead = 0;
  for (const g of groups) {
    const lagging = g.lagging.map((v) => (v === null ? null : toDec(v)));
    const leads = g.leads.map((s) => s.map((v) => (v === null ? null : toDec(v))));
    let proven = false;
    for (let t = MIN_HISTORY; t < g.starts.length; t += 1) {
      const actual = lagging[t];
      if ((g.starts[t] as string) < from || actual == null || actual.isZero()) continue;
      const past = lagging.slice(0, t);
      let best: { r: number; forecast: DecValue; gated: DecValue | null } | null = null;
      for (const lead of leads) {
        const pastLead = lead.slice(0, t);
        const p = provenLeadOf(pastLead, past);
        if (!p || (best && Math.abs(best.r) >= Math.abs(p.r))) continue;
        const f = leadInformedForecast(past, pastLead, p.lag);
        if (f !== null) {
          best = { r: p.r, forecast: f, gated: beatsTrendOnPast(past, pastLead, p.lag) ? f : null };
        }
      }
      if (!best) continue;
      proven = true;
      const naive = ape(naiveForecast(past), actual);
      const trend = ape(trendForecast(past), actual);
      const informed = ape(best.forecast, actual);
      const gated = best.gated === null ? trend : ape(best.gated, actual);
      if (naive === null || trend === null || informed === null || gated === null) continue;
      samples.push({ naive, trend, lead_informed: informed, lead_gated: gated });
    }
    if (proven) kpisWithProvenLead += 1;
  }
  const scores = METHODS.map((method) => {
    const errors = samples.map((s) => s[method]);
    const mape = errors.reduce((a, b) => a + b, 0) / Math.max(errors.length, 1);
    return { method, mape, medianApe: quantile(errors, 0.5) ?? 0, n: errors.length };
  });
  return { scores, kpisWithProvenLead };
}
