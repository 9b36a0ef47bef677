import {
  CATEGORY_LABEL,
  INDICATOR_LABEL,
  type KpiCategory,
  type KpiIndicator,
} from '@/lib/domain/kpi-kinds';

/**
 * A KPI's kind as two small text badges ("Strategic", "Leading"): words, not colour, carry the
 * meaning. Leading indicators stand out in indigo, the rest stay grey.
 */
export function KpiKindBadges({
  category,
  indicator,
  className = '',
}: {
  category: KpiCategory;
  indicator: KpiIndicator;
  className?: string;
}) {
  // `kind-badge` (globals.css) is the badges' shared shape: a short class name, since a scorecard
  // sends it twice per KPI (HTML and React's payload).
  const base = 'kind-badge';
  return (
    <span
      className={`inline-flex flex-wrap gap-1 align-middle ${className}`}
      data-testid="kpi-kind"
    >
      <span className={`${base} bg-gray-50 text-gray-700 ring-gray-300`} title="Category">
        {CATEGORY_LABEL[category]}
      </span>
      <span
        className={`${base} ${indicator === 'leading' ? 'bg-indigo-50 text-indigo-800 ring-indigo-300' : 'bg-gray-50 text-gray-700 ring-gray-300'}`}
        title="Indicator"
      >
        {INDICATOR_LABEL[indicator]}
      </span>
    </span>
  );
}
