import { StatusIcon } from '@/components/kpis/status-badge';
import type { ProjectedEnd } from '@/lib/domain/dashboard/types';
import { projectionPhrase } from '@/lib/domain/forecast/projection-text';
import { valueText } from './display';

/**
 * Where a KPI's open period is projected to end, as one line: the projected status's icon and
 * words ("Projected 92% of target, at risk (1,240)"), never colour alone. Server-rendered, no
 * client code; nothing without a projection.
 */
export function ProjectedLine({
  kpi,
  projected,
  locale,
  className = '',
}: {
  kpi: {
    measureUnit: Parameters<typeof valueText>[0]['measureUnit'];
    currency: string | null;
    decimals: number;
  };
  projected: ProjectedEnd | undefined;
  locale: string;
  className?: string;
}) {
  if (!projected) return null;
  const phrase = projectionPhrase(projected, locale);
  return (
    <p
      className={`flex items-start gap-1 text-xs text-gray-600 ${className}`}
      data-testid="projected-end"
    >
      <StatusIcon
        status={projected.share === null ? 'no_data' : projected.status}
        className="mt-px h-3 w-3"
      />
      <span>
        {phrase.charAt(0).toUpperCase()}
        {phrase.slice(1)}{' '}
        <span className="tabular-nums">({valueText(kpi, projected.value, locale)})</span>
      </span>
    </p>
  );
}
