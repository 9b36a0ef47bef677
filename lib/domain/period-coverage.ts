import { coverageLabel } from '@/lib/domain/formula/evaluate';
import type { KpiPeriodView } from '@/lib/domain/kpi-summary';

/*
 * How a period's coverage and target are labelled wherever they are shown (KPI page, dashboards,
 * explorer, reports, API consumers of the same view). Pure.
 */

type CoverageView = Pick<
  KpiPeriodView,
  'childrenReported' | 'childrenExpected' | 'missingInputs' | 'noValueReason'
>;

/**
 * "7 of 9 reported" for a rollup; for a formula "3 of 3 inputs", or for a period without a value
 * "2 of 3 inputs · missing cs.churned_arr" / "… · division by zero"; `short` leaves out the
 * word after the counts for rollups ("7 of 9", the explorer's tree). Null for KPIs recorded by
 * hand and periods that expect nothing.
 */
export function coverageText(
  kpi: { rollup: string },
  view: CoverageView,
  options: { short?: boolean } = {},
): string | null {
  if (kpi.rollup === 'manual' || view.childrenExpected === 0) return null;
  const counts = { reported: view.childrenReported, expected: view.childrenExpected };
  if (kpi.rollup !== 'formula') {
    return `${counts.reported} of ${counts.expected}${options.short ? '' : ' reported'}`;
  }
  const label = coverageLabel(counts);
  if (view.noValueReason === 'division by zero') return `${label} · division by zero`;
  if (view.missingInputs && view.missingInputs.length > 0) {
    return `${label} · missing ${view.missingInputs.join(', ')}`;
  }
  return label;
}

/** "implied by its inputs" when the target shown is a formula's implied one, else null. */
export function impliedTargetNote(view: Pick<KpiPeriodView, 'targetImplied'>): string | null {
  return view.targetImplied ? 'implied by its inputs' : null;
}
