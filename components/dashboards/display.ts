import type { KpiPeriodView } from '@/lib/domain/kpi-summary';
import { formatProgress, formatValue, type MeasureUnit } from '@/lib/domain/format';

type Measured = { measureUnit: MeasureUnit; currency: string | null; decimals: number };

export { coverageText, impliedTargetNote } from '@/lib/domain/period-coverage';

/** "On pace: 92%" for flows (sum) in an open period, where pace differs from the full target. */
export function paceText(
  kpi: { timeAggregation: string },
  view: KpiPeriodView,
  isOpen: boolean,
  locale: string,
): string | null {
  if (kpi.timeAggregation !== 'sum' || !isOpen || view.paceProgress === null) return null;
  return `Pace ${formatProgress(view.paceProgress, locale)}`;
}

export function valueText(kpi: Measured, value: string | null, locale: string): string {
  return formatValue(value, kpi, locale);
}
