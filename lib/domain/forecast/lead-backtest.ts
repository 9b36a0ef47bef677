import { toDec, type DecValue } from '@/lib/domain/decimal';
import type { Cadence } from '@/lib/domain/periods';
import { MIN_HISTORY, type BacktestScore } from './backtest';
import { leadChecks, leadInformedForecast, provenLeadOf } from './lead-informed';
import { naiveForecast, quantile, trendForecast } from './methods';
import { PROJECTION_HISTORY } from './projection';

/*
 * The lead-informed methods in `npm run forecast:backtest` (issue 24, item 3), pure: for each
 * lagging KPI with leading KPIs (fed by them, or linked), every complete period is forecast from
 * what was known before it, over the history a projection reads (PROJECTION_HISTORY periods).
 * The periods scored are those where some lead was proven on that past alone; on exactly them:
 * `naive`, `trend`, `lead_always` (the lead-informed forecast of the strongest proven lead,
 * whenever one is proven) and `lead_gated`, the product's rule (leadChecks: a lead only where
 * it earned it on the KPI's own past, walking forward; else the trend).
 */

/** A lagging KPI's complete periods and its leads' values over the same periods (oldest first). */
export type LeadBacktestGroup = {
  cadence: Cadence;
  starts: readonly string[];
  lagging: readonly (string | null)[];
  leads: readonly (readonly (string | null)[])[];
};

/** The scores; how many lagging KPIs had a lead proven at least once; where the gate opened. */
export type LeadBacktestResult = {
  scores: BacktestScore[];
  kpisWithProvenLead: number;
  gateOpened: { periods: number; kpis: number };
};

const METHODS = ['naive', 'trend', 'lead_always', 'lead_gated'] as const;

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
  const opened = { periods: 0, kpis: 0 };
  for (const g of groups) {
    const window = PROJECTION_HISTORY[g.cadence];
    const lagging = g.lagging.map((v) => (v === null ? null : toDec(v)));
    const leads = g.leads.map((s) => s.map((v) => (v === null ? null : toDec(v))));
    let proven = false;
    let open = false;
    for (let t = MIN_HISTORY; t < g.starts.length; t += 1) {
      const actual = lagging[t];
      if ((g.starts[t] as string) < from || actual == null || actual.isZero()) continue;
      const first = Math.max(0, t - window);
      const past = lagging.slice(first, t);
      const pastLeads = leads.map((lead) => lead.slice(first, t));
      let best: { r: number; forecast: DecValue } | null = null;
      for (const pastLead of pastLeads) {
        const p = provenLeadOf(pastLead, past);
        if (!p || (best && Math.abs(best.r) >= Math.abs(p.r))) continue;
        const f = leadInformedForecast(past, pastLead, p.lag);
        if (f !== null) best = { r: p.r, forecast: f };
      }
      if (!best) continue;
      proven = true;
      const trendF = trendForecast(past);
      const { used } = leadChecks(
        past,
        pastLeads.map((values, i) => ({ leadId: String(i), values })),
      );
      const gatedF =
        used?.gate.kind === 'earned' && trendF !== null
          ? trendF.plus(toDec(used.gate.adjustment))
          : trendF;
      const naive = ape(naiveForecast(past), actual);
      const trend = ape(trendF, actual);
      const always = ape(best.forecast, actual);
      const gated = ape(gatedF, actual);
      if (naive === null || trend === null || always === null || gated === null) continue;
      samples.push({ naive, trend, lead_always: always, lead_gated: gated });
      if (used) {
        opened.periods += 1;
        open = true;
      }
    }
    if (proven) kpisWithProvenLead += 1;
    if (open) opened.kpis += 1;
  }
  const scores = METHODS.map((method) => {
    const errors = samples.map((s) => s[method]);
    const mape = errors.reduce((a, b) => a + b, 0) / Math.max(errors.length, 1);
    return { method, mape, medianApe: quantile(errors, 0.5) ?? 0, n: errors.length };
  });
  return { scores, kpisWithProvenLead, gateOpened: opened };
}
