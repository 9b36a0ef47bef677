/**
 * `npm run forecast:backtest`: replays the demo organization's history (and a small synthetic
 * organization's) period by period and prints each forecasting method's mean absolute percentage
 * error next to the naive last-value forecast's, on the same KPI periods, in the same run, at the
 * start of a period and half-way through a flow's period (lib/domain/forecast/backtest.ts). In
 * memory: no database (the seed plans are built, not written).
 */
import { randomUUID } from 'node:crypto';
import { todayInTimeZone } from '@/lib/domain/dates';
import { runBacktest, type BacktestKpi, type BacktestScore } from '@/lib/domain/forecast/backtest';
import { runLeadBacktest, type LeadBacktestResult } from '@/lib/domain/forecast/lead-backtest';
import { periodStart } from '@/lib/domain/periods';
import { buildDemoPlan } from '@/lib/seed/demo-plan';
import type { SeedPlan } from '@/lib/seed/plan';
import { planPeriodValues } from '@/lib/seed/plan-values';
import { buildSyntheticPlan } from '@/lib/seed/synthetic-plan';
import { syntheticLeadGroups } from '@/lib/seed/synthetic-leads';
import { leadGroupsOf } from './forecast-lead-groups';

function historyOf(plan: SeedPlan): BacktestKpi[] {
  const values = planPeriodValues(plan);
  const byKpi = new Map<string, { observedOn: string; value: string }[]>();
  for (const c of plan.checkins) byKpi.set(c.kpiId, [...(byKpi.get(c.kpiId) ?? []), c]);
  return plan.kpis.map((k) => {
    const open = periodStart(plan.today, k.cadence, plan.org.fyStartMonth);
    const complete = new Map<string, string>();
    for (const [start, v] of values.get(k.id) ?? []) if (start < open) complete.set(start, v.value);
    return {
      cadence: k.cadence,
      timeAggregation: k.timeAggregation,
      values: complete,
      ...(k.rollup === 'manual' ? { checkins: byKpi.get(k.id) ?? [] } : {}),
    };
  });
}

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;

function print(title: string, scores: BacktestScore[]): void {
  console.log(`\n${title} (${scores[0]?.n ?? 0} KPI periods)`);
  console.log('  method            MAPE     median APE   vs naive MAPE');
  for (const s of scores) {
    console.log(
      `  ${s.method.padEnd(14)}  ${pct(s.mape).padStart(7)}  ${pct(s.medianApe).padStart(9)}    ${vsNaive(scores, s.method).padStart(6)}`,
    );
  }
}

/** A method's MAPE as a share of the naive forecast's on the same KPI periods. */
function vsNaive(scores: BacktestScore[], method: string): string {
  const naive = scores.find((s) => s.method === 'naive');
  const own = scores.find((s) => s.method === method);
  return naive && own && naive.mape > 0 ? `${((own.mape / naive.mape) * 100).toFixed(0)}%` : '—';
}

/** The lead-informed methods on the periods of KPIs with a lead proven on their past. */
function printLeads(result: LeadBacktestResult): void {
  print(
    `Periods of KPIs with a lead proven on their past (${result.kpisWithProvenLead} KPIs)`,
    result.scores,
  );
  const { periods, kpis } = result.gateOpened;
  console.log(
    `  the gate opened on ${periods} of these periods (${kpis} KPIs); lead_gated is the trend elsewhere`,
  );
}

function report(name: string, plan: SeedPlan): void {
  const kpis = historyOf(plan);
  // score the last two years: the first year is history for the seasonal forecast
  const from = `${Number(plan.today.slice(0, 4)) - 2}${plan.today.slice(4, 8)}01`;
  const { start, midPeriod } = runBacktest(kpis, from);
  console.log(`\n== ${name}: ${plan.kpis.length} KPIs, scored from ${from} ==`);
  print('Forecast of a whole period at its start', start);
  print("Projection of a flow's period half-way through it", midPeriod);
  const leads = runLeadBacktest(leadGroupsOf(plan, planPeriodValues(plan)), from);
  printLeads(leads);
  console.log(
    `\nThe product's projection against naive: ${vsNaive(start, 'projection')} of its MAPE at the start of a period, ${vsNaive(midPeriod, 'projection')} half-way through a flow's period`,
  );
}

const now = new Date();
const today = todayInTimeZone('UTC', now);
report('Demo organization', buildDemoPlan({ orgId: randomUUID(), today, now }));
report(
  'Synthetic organization (600 KPIs, 36 months, seed 1)',
  buildSyntheticPlan({
    kpis: 600,
    people: 120,
    months: 36,
    depth: 5,
    seed: 1,
    now,
    orgId: randomUUID(),
    slug: `backtest-${randomUUID().slice(0, 8)}`,
  }).plan,
);

// The control group: pairs built so that the lead really leads by 2 months (lib/seed/synthetic-leads.ts).
const control = runLeadBacktest(
  syntheticLeadGroups({ count: 40, months: 36, first: '2023-01-01', seed: 1 }),
  '2024-01-01',
);
console.log('\n== Control: 40 synthetic pairs where the lead truly leads by 2 months ==');
printLeads(control);
