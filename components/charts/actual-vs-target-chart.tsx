import type { TimeAggregation } from '@/lib/domain/aggregation';
import { axisTicks, compactAxisLabel, yAxisDomain } from '@/lib/domain/chart-axis';
import {
  brokenLinePath,
  dotsPath,
  indexScale,
  isolated,
  linearScale,
  plot,
  runs,
  type Point,
} from '@/lib/domain/chart-geometry';
import { formatValue, type MeasureUnit } from '@/lib/domain/format';
import type { ChartPoint } from '@/lib/domain/kpi-chart';
import { ChartLegend } from './chart-legend';
import { LinePath } from './line-path';
import { plotTrend } from './trend-points';

export type ActualVsTargetPoint = ChartPoint;

// The plot's own coordinates: it stretches to its box (lines, dashes and dots keep their size).
const SIZE = 100;

/** Average width of a text-xs character in px (the axes' labels), for fitting labels. */
const CHAR_PX = 7;

/**
 * Which period labels fit under the plot: every `step`-th from the latest, so the newest period
 * is always labelled. The chart's width is only known to the browser, so the steps are worked
 * out for the narrowest width of each breakpoint (a 360 px phone, 640 px, 1024 px) and nested (a
 * label shown on a phone is shown on a wider screen too); CSS picks the one that applies.
 */
function labelSteps(labels: readonly string[], axisWidth: number) {
  const gaps = Math.max(1, labels.length - 1);
  const labelPx = Math.max(...labels.map((l) => l.length), 1) * CHAR_PX + 12;
  const need = (chartWidth: number) =>
    Math.max(1, Math.ceil(labelPx / ((chartWidth - axisWidth - 8) / gaps)));
  const lg = need(1024 - 64);
  const sm = Math.ceil(need(640 - 64) / lg) * lg;
  const base = Math.ceil(need(360 - 64) / sm) * sm;
  return { base, sm, lg };
}

/** The chart's unit: `%` and `×` stay on the ticks; a currency code is named once, above. */
export function axisUnit(
  measureUnit: MeasureUnit,
  currency: string | null,
): { suffix: '%' | '×' | ''; name: string | null } {
  return {
    suffix: measureUnit === 'percent' ? '%' : measureUnit === 'ratio' ? '×' : '',
    name: measureUnit === 'currency' ? currency : null,
  };
}

/**
 * Actual against target over periods, drawn on the server as SVG (no chart library and no
 * JavaScript in the browser). Numbers here are for drawing only. Levels and rates fit the y-axis
 * to their data (`yAxisDomain`); flows start at zero. Axis labels are compact (`9.4M`) in
 * `locale`, with the unit named once above the chart; hovering a period shows its full numbers
 * (an SVG `<title>`), and a visually hidden table gives every period to screen readers. Missing
 * values break the lines; a value standing alone is a dot. The open period of a flow is a dotted
 * segment from the last complete actual.
 */
export function ActualVsTargetChart({
  data,
  timeAggregation,
  measure,
  partialPeriod = null,
  locale = 'en-US',
}: {
  data: ActualVsTargetPoint[];
  timeAggregation: TimeAggregation;
  measure: { measureUnit: MeasureUnit; currency: string | null; decimals: number };
  /** The open period of a flow (its actual is the period so far), said under the chart. */
  partialPeriod?: string | null;
  locale?: string;
}) {
  const unit = axisUnit(measure.measureUnit, measure.currency);
  const full = (v: number | null) => formatValue(v === null ? null : String(v), measure, locale);
  const periodName = (p: ChartPoint) =>
    p.period === partialPeriod ? `${p.period} (so far)` : p.period;
  const domain = yAxisDomain(
    data.flatMap((p) => [p.Actual, p.Target]),
    timeAggregation,
  );
  if (!domain) {
    return (
      <p
        className="flex h-56 items-center justify-center rounded bg-gray-50 px-4 text-center text-sm text-gray-500"
        data-testid="kpi-chart-empty"
      >
        Nothing to chart yet: no actual or target in these {data.length} periods.
      </p>
    );
  }

  const ticks = axisTicks(domain).map((value) => ({
    value,
    label: compactAxisLabel(value, locale, unit.suffix, domain.step),
  }));
  // The y-axis sizes itself to its labels; this estimate only decides which period labels fit.
  const axisWidth = 12 + Math.max(2, ...ticks.map((t) => t.label.length)) * CHAR_PX;
  const x = indexScale(data.length, [0, SIZE]);
  const y = linearScale([domain.min, domain.max], [SIZE, 0]);
  const half = data.length > 1 ? SIZE / (data.length - 1) / 2 : SIZE;

  const actual = plotTrend(
    data.map((p) => ({ label: p.period, value: p.Actual, partial: p.period === partialPeriod })),
    x,
    y,
  );
  const target = plot(
    data.map((p) => p.Target),
    x,
    y,
  );
  const steps = labelSteps(
    data.map((p) => p.period),
    axisWidth,
  );
  const first = data[0]!;
  const last = data[data.length - 1]!;

  return (
    <figure className="m-0 min-w-0" data-testid="kpi-chart">
      <ChartLegend unitName={unit.name} />
      <div
        role="img"
        aria-label={`Line chart of actual against target, ${first.period} to ${last.period}; every period's numbers are in the table that follows.`}
      >
        {/* Two columns: the y-axis, as wide as its longest label (sized by an invisible copy of
            the labels), and the plot; the period labels under the plot. */}
        <div className="grid grid-cols-[auto_minmax(0,1fr)]">
          <div className="relative h-48">
            <div className="invisible h-0 overflow-hidden pl-0.5 pr-2 text-xs tabular-nums leading-none">
              {ticks.map((t) => (
                <span key={t.value} className="block whitespace-nowrap">
                  {t.label}
                </span>
              ))}
            </div>
            <div className="absolute inset-x-0 inset-y-2">
              {ticks.map((t) => (
                <span
                  key={t.value}
                  data-testid="kpi-chart-y-tick"
                  className="absolute right-2 -translate-y-1/2 whitespace-nowrap text-xs tabular-nums leading-none text-gray-500"
                  style={{ top: `${y(t.value)}%` }}
                >
                  {t.label}
                </span>
              ))}
            </div>
          </div>
          <div className="relative h-48">
            <div className="absolute inset-y-2 left-0 right-2">
              <svg
                className="block h-full w-full overflow-visible"
                viewBox={`0 0 ${SIZE} ${SIZE}`}
                preserveAspectRatio="none"
                aria-hidden
              >
                <path
                  d={ticks.map((t) => `M0,${y(t.value).toFixed(2)} H${SIZE}`).join(' ')}
                  className="fill-none stroke-gray-200"
                  strokeWidth={1}
                  vectorEffect="non-scaling-stroke"
                />
                <Line points={target} className="stroke-gray-500" dashed="6 4" />
                <Line points={actual.complete} className="stroke-indigo-500" />
                <LinePath
                  points={actual.soFar}
                  className="fill-none stroke-slate-400"
                  strokeWidth={2}
                  strokeDasharray="2 4"
                  strokeLinecap="round"
                  vectorEffect="non-scaling-stroke"
                />
                {data.map((p, i) => {
                  const at = (v: number | null): Point[] => (v === null ? [] : [[x(i), y(v)]]);
                  return (
                    <g key={p.period} className="group" data-testid="kpi-chart-period">
                      <title>
                        {`${periodName(p)}\nActual: ${full(p.Actual)}\nTarget: ${full(p.Target)}`}
                      </title>
                      <rect
                        x={Math.max(0, x(i) - half)}
                        y={0}
                        width={Math.min(SIZE, x(i) + half) - Math.max(0, x(i) - half)}
                        height={SIZE}
                        fill="transparent"
                      />
                      <path
                        d={`M${x(i).toFixed(2)},0 V${SIZE}`}
                        className="fill-none stroke-gray-300 opacity-0 group-hover:opacity-100"
                        strokeWidth={1}
                        vectorEffect="non-scaling-stroke"
                      />
                      <Dots
                        points={at(p.Target)}
                        className="stroke-gray-500 opacity-0 group-hover:opacity-100"
                        size={8}
                      />
                      <Dots
                        points={at(p.Actual)}
                        className={`opacity-0 group-hover:opacity-100 ${p.period === partialPeriod ? 'stroke-slate-400' : 'stroke-indigo-500'}`}
                        size={8}
                      />
                    </g>
                  );
                })}
              </svg>
            </div>
          </div>
          <div />
          <div className="relative mr-2 mt-1 h-4">
            {data.map((p, i) => {
              const fromLatest = data.length - 1 - i;
              if (fromLatest % steps.lg !== 0) return null;
              const shown =
                fromLatest % steps.base === 0
                  ? ''
                  : fromLatest % steps.sm === 0
                    ? 'hidden sm:block'
                    : 'hidden lg:block';
              const align =
                data.length === 1
                  ? ''
                  : i === data.length - 1
                    ? '-translate-x-full'
                    : '-translate-x-1/2';
              return (
                <span
                  key={p.period}
                  data-testid="kpi-chart-x-label"
                  className={`absolute top-0 whitespace-nowrap text-xs leading-4 text-gray-500 ${align} ${shown}`}
                  style={{ left: `${x(i)}%` }}
                >
                  {p.period}
                </span>
              );
            })}
          </div>
        </div>
      </div>
      <table className="sr-only">
        <caption>Actual and target by period{unit.name ? `, in ${unit.name}` : ''}</caption>
        <thead>
          <tr>
            <th scope="col">Period</th>
            <th scope="col">Actual</th>
            <th scope="col">Target</th>
          </tr>
        </thead>
        <tbody>
          {data.map((p) => (
            <tr key={p.period}>
              <th scope="row">{periodName(p)}</th>
              <td>{full(p.Actual)}</td>
              <td>{full(p.Target)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {partialPeriod ? (
        <p className="mt-1 text-xs text-gray-500">
          <span
            aria-hidden
            className="mr-1 inline-block h-0 w-3 border-t-2 border-dotted border-slate-400 align-middle"
          />
          {partialPeriod} is still open: its actual is the period so far.
        </p>
      ) : null}
    </figure>
  );
}

/** A series as one path, broken where values are missing, with a dot for a value standing alone. */
function Line({
  points,
  className,
  dashed,
}: {
  points: (Point | null)[];
  className: string;
  dashed?: string;
}) {
  return (
    <>
      <path
        d={brokenLinePath(runs(points))}
        className={`fill-none ${className}`}
        strokeWidth={2}
        strokeLinejoin="round"
        strokeLinecap="round"
        {...(dashed ? { strokeDasharray: dashed } : {})}
        vectorEffect="non-scaling-stroke"
      />
      <Dots points={isolated(points)} className={className} size={6} />
    </>
  );
}

/** Round dots of `size` px that keep their shape in the stretched plot (`dotsPath`). */
function Dots({
  points,
  className,
  size,
}: {
  points: readonly Point[];
  className: string;
  size: number;
}) {
  if (!points.length) return null;
  return (
    <path
      d={dotsPath(points)}
      className={`fill-none ${className}`}
      strokeWidth={size}
      strokeLinecap="round"
      vectorEffect="non-scaling-stroke"
    />
  );
}
