'use client';

import { LineChart, type CustomTooltipProps } from '@tremor/react';
import { useMemo } from 'react';
import type { TimeAggregation } from '@/lib/domain/aggregation';
import { compactAxisLabel, yAxisDomain } from '@/lib/domain/chart-axis';
import type { ChartPoint } from '@/lib/domain/kpi-chart';
import { CHART_SERIES, ChartLegend } from './chart-legend';

// Our own legend (./chart-legend.tsx); the target line is dashed by app/globals.css
// (`.chart-target-dashed`).
const SERIES = CHART_SERIES;

/**
 * The KPI page's chart explored interactively (Tremor's line chart: a tooltip with the full
 * numbers follows the pointer or a finger). Loaded only when someone asks for it
 * (./actual-vs-target-explore.tsx): the page itself shows the server-drawn SVG chart, so its first
 * load carries none of Tremor's charting code (recharts). Numbers here are for drawing only; the
 * axis and its labels are the SVG chart's (`yAxisDomain`, `compactAxisLabel`).
 */
export function ActualVsTargetExplorer({
  data,
  timeAggregation,
  unit,
  decimals,
  partialPeriod = null,
  locale = 'en-US',
}: {
  data: ChartPoint[];
  timeAggregation: TimeAggregation;
  /** The measure: `%` and `×` stay on the ticks; a currency code is named once, above. */
  unit: { suffix: '%' | '×' | ''; name: string | null };
  decimals: number;
  /** The open period of a flow (its actual is the period so far), said under the chart. */
  partialPeriod?: string | null;
  locale?: string;
}) {
  const domain = yAxisDomain(
    data.flatMap((p) => [p.Actual, p.Target]),
    timeAggregation,
  );
  const axisLabel = (v: number) => compactAxisLabel(v, locale, unit.suffix, domain?.step);
  // One tooltip component per measure (a new component each render would remount it).
  const Tooltip = useMemo(() => {
    const number = new Intl.NumberFormat(locale, { maximumFractionDigits: decimals });
    const full = (v: number) =>
      `${number.format(v)}${unit.suffix}${unit.name ? ` ${unit.name}` : ''}`;
    return function ChartTooltip(props: CustomTooltipProps) {
      const label = props.label === partialPeriod ? `${String(props.label)} (so far)` : props.label;
      return <FullTooltip {...props} label={label} format={full} />;
    };
  }, [locale, decimals, unit.suffix, unit.name, partialPeriod]);
  // Recharts draws five ticks, on the domain's four steps: wide enough for the longest label.
  const ticks = domain ? [0, 1, 2, 3, 4].map((i) => domain.min + i * domain.step) : [0];
  const longest = Math.max(2, ...ticks.map((v) => axisLabel(v).length));
  return (
    <div className="chart-target-dashed min-w-0">
      <ChartLegend unitName={unit.name} />
      <LineChart
        className="h-56"
        data={data}
        index="period"
        categories={SERIES.map((s) => s.name)}
        colors={SERIES.map((s) => s.color)}
        showLegend={false}
        connectNulls={false}
        yAxisWidth={16 + longest * 7}
        padding={{ left: 8, right: 8 }}
        tickGap={12}
        {...(domain ? { minValue: domain.min, maxValue: domain.max } : {})}
        valueFormatter={axisLabel}
        customTooltip={Tooltip}
      />
      {partialPeriod ? (
        <p className="mt-1 text-xs text-gray-500">
          {partialPeriod} is still open: its actual is the period so far.
        </p>
      ) : null}
    </div>
  );
}

/** The tooltip with full numbers (the axis is compact). */
function FullTooltip({
  active,
  payload,
  label,
  format,
}: CustomTooltipProps & { format: (v: number) => string }) {
  if (!active || !payload?.length) return null;
  return (
    <div className="rounded-md border border-gray-200 bg-white px-3 py-2 text-sm shadow-md">
      <p className="mb-1 font-medium text-gray-900">{String(label ?? '')}</p>
      {payload.map((entry) => (
        <p key={String(entry.dataKey)} className="flex items-center gap-2 text-gray-700">
          <span
            aria-hidden
            className={`w-3 border-t-2 ${SERIES.find((s) => s.name === entry.dataKey)?.swatch ?? ''}`}
          />
          {String(entry.dataKey)}
          <span className="ml-auto tabular-nums">
            {typeof entry.value === 'number' ? format(entry.value) : '—'}
          </span>
        </p>
      ))}
    </div>
  );
}
