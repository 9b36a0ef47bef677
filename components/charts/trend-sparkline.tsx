import { areaPath, indexScale, linearScale, present } from '@/lib/domain/chart-geometry';
import { LinePath } from './line-path';
import { plotTrend, type TrendPoint } from './trend-points';

export type { TrendPoint };

// The drawing's own coordinates; the SVG stretches to its box (the line keeps its width).
const WIDTH = 100;
const HEIGHT = 40;
const PAD = 3;

/**
 * A small trend line for a KPI card, drawn as plain SVG on the server (no chart library and no
 * JavaScript in the browser); numbers are for drawing only. Complete periods are a solid line over
 * a faint area, gaps joined; the open period (a flow's so far) is a dotted grey segment from the
 * last complete point.
 */
export function TrendSparkline({
  data,
  label,
  tall = false,
}: {
  data: TrendPoint[];
  label: string;
  tall?: boolean;
}) {
  const reported = data.filter((p) => p.value !== null).length;
  const partial = data.find((p) => p.partial && p.value !== null);
  if (reported < 2) {
    return (
      <p
        className={`flex items-center rounded bg-gray-50 px-3 text-xs text-gray-500 ${tall ? 'h-10 md:h-24' : 'h-10'}`}
      >
        The trend appears once two periods have values.
      </p>
    );
  }
  const all = data.flatMap((p) => (p.value === null ? [] : [p.value]));
  // The y scale fits the values (min to max); gaps are joined.
  const x = indexScale(data.length, [0, WIDTH]);
  const y = linearScale([Math.min(...all), Math.max(...all)], [HEIGHT - PAD, PAD]);
  const trend = plotTrend(data, x, y);
  const complete = present(trend.complete);
  const area = areaPath(complete, HEIGHT);
  return (
    <figure aria-label={label} className="m-0">
      <svg
        aria-hidden
        className={tall ? 'h-10 w-full md:h-24' : 'h-10 w-full'}
        viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
        preserveAspectRatio="none"
      >
        {area ? <path d={area} className="fill-indigo-500/10" /> : null}
        <LinePath
          points={complete}
          className="fill-none stroke-indigo-500"
          strokeWidth={2}
          strokeLinejoin="round"
          vectorEffect="non-scaling-stroke"
        />
        <LinePath
          points={trend.soFar}
          className="fill-none stroke-slate-400"
          strokeWidth={2}
          strokeDasharray="2 3"
          vectorEffect="non-scaling-stroke"
        />
      </svg>
      {partial ? (
        <p aria-hidden className="mt-0.5 text-right text-[11px] text-gray-500">
          <span className="mr-1 inline-block h-0 w-3 border-t-2 border-dotted border-slate-400 align-middle" />
          {partial.label} so far
        </p>
      ) : null}
      <figcaption className="sr-only">
        {label}: {reported} of {data.length} periods reported
        {partial ? `; ${partial.label} is still open (so far)` : ''}
      </figcaption>
    </figure>
  );
}
