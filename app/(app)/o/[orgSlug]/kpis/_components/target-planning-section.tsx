import type { TargetPlanning } from '@/lib/dal/kpis/target-planning';
import type { KpiDetail } from '@/lib/dal/kpis/detail';
import { formatValue } from '@/lib/domain/format';
import { periodLabel } from '@/lib/domain/periods';
import { reconciliationText } from '@/lib/domain/target-reconciliation';
import type { OrgContext } from '@/lib/server/org-context';
import type { PlanScope } from './plan-targets-panel';
import { PlanTargetsFold, SplitTargetFold } from './target-planning-folds';

function scopesOf(plan: TargetPlanning, fy: number, locale: string): PlanScope[] {
  const year: PlanScope = {
    key: plan.fiscalYear.start,
    label: plan.fiscalYear.label,
    periods: plan.periods,
  };
  if (plan.periods.length !== 12) return [year];
  const quarters = [0, 3, 6, 9].map((i) => {
    const periods = plan.periods.slice(i, i + 3);
    const first = periods[0]?.start ?? plan.fiscalYear.start;
    return {
      key: first,
      label: periodLabel(first, 'quarter', fy, locale),
      periods,
    };
  });
  return [year, ...quarters];
}

/**
 * Target planning on the KPI page: per period whether a `sum` parent's children add up to its
 * target; for those who may set its targets, "Plan targets" (phase a year or quarter) and "Split
 * the target down" over its children. The page reads `planning` (getKpiTargetPlanning).
 */
export function TargetPlanningSection({
  ctx,
  kpi,
  canTargets,
  planning: { plan, next },
  locale,
}: {
  ctx: OrgContext;
  kpi: KpiDetail;
  canTargets: boolean;
  planning: { plan: TargetPlanning; next: TargetPlanning | null };
  /** The organization's locale: numbers and dates are written its way. */
  locale: string;
}) {
  const canPlan = canTargets && kpi.cadence !== 'year';
  const hasChildren = plan.children.length > 0;
  if (!canPlan && !plan.reconciliation && !(canTargets && hasChildren)) return null;
  const fy = ctx.org.fyStartMonth;
  const measure = { measureUnit: kpi.measureUnit, currency: kpi.currency, decimals: kpi.decimals };
  return (
    <section
      className="rounded-xl border border-gray-200 bg-white shadow-sm"
      aria-labelledby="target-planning-heading"
      id="target-planning"
    >
      <h2 id="target-planning-heading" className="border-b border-gray-200 px-4 py-3 font-semibold">
        Target planning · {plan.fiscalYear.label}
      </h2>
      {plan.reconciliation ? (
        <div className="overflow-x-auto border-b border-gray-100">
          <table className="w-full text-sm" aria-label="Do the children's targets add up?">
            <thead className="text-left text-xs uppercase tracking-wide text-gray-500">
              <tr>
                <th className="px-4 py-2">Period</th>
                <th className="px-4 py-2 text-right">Target</th>
                <th className="px-4 py-2">Children’s targets</th>
              </tr>
            </thead>
            <tbody>
              {plan.periods.map((p, i) => {
                const r = plan.reconciliation?.[i];
                if (!r) return null;
                const tone =
                  r.state === 'matches'
                    ? 'text-green-700'
                    : r.state === 'short' || r.state === 'over'
                      ? 'text-amber-800'
                      : 'text-gray-500';
                return (
                  <tr
                    key={p.start}
                    className="border-t border-gray-100"
                    data-testid="reconciliation-row"
                  >
                    <td className="px-4 py-1.5">{p.label}</td>
                    <td className="whitespace-nowrap px-4 py-1.5 text-right tabular-nums">
                      {formatValue(p.target, measure, locale)}
                    </td>
                    <td className={`px-4 py-1.5 ${tone}`}>
                      {reconciliationText(r, p.target, measure, locale)}
                      {r.missing > 0 ? (
                        <span className="text-gray-500"> · {r.missing} without a target</span>
                      ) : null}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      ) : null}
      {canPlan ? (
        <PlanTargetsFold
          fold={{
            title: 'Plan targets',
            hint: `phase a year or a quarter into ${kpi.cadence === 'month' ? 'months' : 'quarters'}`,
            className: 'border-b border-gray-100',
          }}
          panel={{
            orgSlug: ctx.org.slug,
            kpiId: kpi.id,
            aggregation: kpi.timeAggregation,
            measure,
            scopes: [...scopesOf(plan, fy, locale), ...(next ? scopesOf(next, fy, locale) : [])],
          }}
        />
      ) : null}
      {canTargets && hasChildren ? (
        <SplitTargetFold
          fold={{
            title: 'Split the target down',
            hint: `over its ${plan.children.length} child KPI${plan.children.length === 1 ? '' : 's'}`,
          }}
          panel={{
            orgSlug: ctx.org.slug,
            parentId: kpi.id,
            measure,
            periods: plan.periods,
            childKpis: plan.children,
          }}
        />
      ) : null}
    </section>
  );
}
