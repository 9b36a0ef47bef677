import { withOrgTx } from '@/db/client';
import { can } from '@/lib/authz/can';
import { parseFormula } from '@/lib/domain/formula/parser';
import type { KpiSummary } from '@/lib/domain/kpi-summary';
import type { OrgContext } from '@/lib/server/org-context';
import {
  evaluateFormulaPeriods,
  type FormulaInputKpi,
  type FormulaPeriod,
} from './formula-periods';

/** A formula KPI's period explained: its value or reason, what it read, and the inputs seen. */
export type FormulaExplanation = {
  period: FormulaPeriod;
  /** Input KPIs by key that this person may see (a hidden one shows as a key without value). */
  inputs: Record<string, FormulaInputKpi>;
};

/**
 * "This number = ..." for the formula KPI `kpi` in the period starting `start`: the engine's
 * evaluation of that period with the value of every input read (see evaluateFormulaPeriods).
 * Tenant: ctx.org. Permission: the caller has shown `kpi` (getKpiDetail checks it); an input
 * this person may not see (another person's individual KPI) is left out, value included.
 */
export async function explainFormulaKpi(
  ctx: OrgContext,
  kpi: Pick<
    KpiSummary,
    'id' | 'key' | 'formula' | 'cadence' | 'timeAggregation' | 'missingPolicy'
  > & { baseline: string | null },
  start: string,
): Promise<FormulaExplanation | null> {
  if (kpi.formula === null) return null;
  const formula = parseFormula(kpi.formula);
  const { periods, inputs } = await withOrgTx(ctx.org.id, (tx) =>
    evaluateFormulaPeriods(
      tx,
      ctx.org.id,
      ctx.org,
      {
        kpiId: kpi.id,
        key: kpi.key,
        formula,
        cadence: kpi.cadence,
        timeAggregation: kpi.timeAggregation,
        missingPolicy: kpi.missingPolicy,
        baseline: kpi.baseline,
      },
      [start],
    ),
  );
  const period = periods[0];
  if (!period) return null;
  const visible: Record<string, FormulaInputKpi> = {};
  for (const [key, input] of inputs) {
    if (can(ctx, 'kpis.read', input)) visible[key] = input;
  }
  return {
    period: {
      ...period,
      reads: period.reads.map((r) =>
        r.key === kpi.key || visible[r.key] ? r : { ...r, value: null },
      ),
    },
    inputs: visible,
  };
}
