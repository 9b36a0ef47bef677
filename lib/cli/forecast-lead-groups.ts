/**
 * The lagging KPIs of a seed plan with their leading KPIs, as the lead-informed backtest reads
 * them (lib/domain/forecast/lead-backtest.ts): the same pairs the KPI page measures (a `leading`
 * KPI feeding a KPI as its child or formula input, of a cadence no longer than it), each lead
 * reduced to the lagging KPI's cadence over its complete periods.
 */
import type { LeadBacktestGroup } from '@/lib/domain/forecast/lead-backtest';
import { inputValueFor, shiftPeriod } from '@/lib/domain/formula/period-inputs';
import { formulaReferences } from '@/lib/domain/formula/references';
import { parseFormula } from '@/lib/domain/formula/parser';
import { isCadenceNoLongerThan, periodStart } from '@/lib/domain/periods';
import type { SeedKpi, SeedPlan } from '@/lib/seed/plan';
import type { planPeriodValues } from '@/lib/seed/plan-values';

function inputsOf(k: SeedKpi): string[] {
  return k.rollup === 'formula' && k.formula
    ? formulaReferences(parseFormula(k.formula)).map((r) => r.key)
    : [];
}

/** One group per lagging KPI that has at least one leading KPI feeding it. */
export function leadGroupsOf(
  plan: SeedPlan,
  values: ReturnType<typeof planPeriodValues>,
): LeadBacktestGroup[] {
  const groups: LeadBacktestGroup[] = [];
  for (const lagging of plan.kpis) {
    const inputs = inputsOf(lagging);
    const leads = plan.kpis.filter(
      (k) =>
        k.id !== lagging.id &&
        k.indicator === 'leading' &&
        (k.parentId === lagging.id || (k.key !== null && inputs.includes(k.key))) &&
        isCadenceNoLongerThan(k.cadence, lagging.cadence),
    );
    if (leads.length === 0) continue;
    const open = periodStart(plan.today, lagging.cadence, plan.org.fyStartMonth);
    const own = values.get(lagging.id);
    const firstKnown = [...(own?.keys() ?? [])].sort()[0];
    if (!firstKnown) continue;
    const starts: string[] = [];
    for (let s = firstKnown; s < open; s = shiftPeriod(s, lagging.cadence, -1)) starts.push(s);
    const read = (k: SeedKpi) => (s: string) => values.get(k.id)?.get(s)?.value ?? null;
    groups.push({
      cadence: lagging.cadence,
      starts,
      lagging: starts.map((s) => own?.get(s)?.value ?? null),
      leads: leads.map((k) => starts.map((s) => inputValueFor(k, read(k), s, lagging.cadence, 0))),
    });
  }
  return groups;
}
