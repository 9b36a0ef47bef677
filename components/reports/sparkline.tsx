import { LinePath } from '@/components/charts/line-path';
import { plotTrend } from '@/components/charts/trend-points';
import { indexScale, linearScale, present, type Point } from '@/lib/domain/chart-geometry';

const W = 80;
const H = 22;

/**
 * A tiny server-rendered trend line (SVG: prints and exports as drawn, no client JavaScript).
 * The open period (`partial`) is joined by a dashed segment and drawn as a hollow point: its
 * value is only "so far", not a cliff.
 */
export function Sparkline({
  points,
  label,
}: {
  points: readonly { label: string; value: number | null; partial?: boolean }[];
  label: string;
}) {
  const known = points.flatMap((p) => (p.value === null ? [] : [p.value]));
  if (known.length < 2) return <span className="text-xs text-gray-400">—</span>;
  const x = indexScale(points.length, [2, W - 2]);
  const y = linearScale([Math.min(...known), Math.max(...known)], [H - 2, 2]);
  const trend = plotTrend(points, x, y);
  const lastIndex = points.map((p) => p.value !== null).lastIndexOf(true);
  const partial = points[lastIndex]!.partial === true;
  const last: Point = [x(lastIndex), y(points[lastIndex]!.value!)];
  return (
    <svg
      width={W}
      height={H}
      viewBox={`0 0 ${W} ${H}`}
      role="img"
      aria-label={`${label}: ${points
        .map((p) => `${p.label}${p.partial ? ' so far' : ''} ${p.value ?? 'no value'}`)
        .join(', ')}`}
      className="overflow-visible"
    >
      <LinePath
        points={present(trend.complete)}
        digits={1}
        fill="none"
        stroke="#4f46e5"
        strokeWidth={1.5}
        strokeLinejoin="round"
      />
      <LinePath
        points={trend.soFar}
        digits={1}
        fill="none"
        stroke="#94a3b8"
        strokeWidth={1.5}
        strokeDasharray="2 2"
      />
      <circle
        cx={last[0]}
        cy={last[1]}
        r={2}
        fill={partial ? 'white' : '#4f46e5'}
        stroke={partial ? '#94a3b8' : 'none'}
        strokeWidth={1.2}
      />
    </svg>
  );
}
