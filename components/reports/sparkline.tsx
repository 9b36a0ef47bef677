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
  const W = 80;
  const H = 22;
  const known = points
    .map((p, i) => ({ i, v: p.value }))
    .filter((p): p is { i: number; v: number } => p.v !== null);
  if (known.length < 2) return <span className="text-xs text-gray-400">—</span>;
  const min = Math.min(...known.map((p) => p.v));
  const max = Math.max(...known.map((p) => p.v));
  const span = max - min || 1;
  const x = (i: number) => 2 + (i / Math.max(1, points.length - 1)) * (W - 4);
  const y = (v: number) => H - 2 - ((v - min) / span) * (H - 4);
  const last = known[known.length - 1]!;
  const partial = points[last.i]?.partial === true;
  const solid = partial ? known.slice(0, -1) : known;
  const d = solid
    .map((p, n) => `${n === 0 ? 'M' : 'L'}${x(p.i).toFixed(1)},${y(p.v).toFixed(1)}`)
    .join(' ');
  const before = solid[solid.length - 1];
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
      <path d={d} fill="none" stroke="#4f46e5" strokeWidth={1.5} strokeLinejoin="round" />
      {partial && before ? (
        <path
          d={`M${x(before.i).toFixed(1)},${y(before.v).toFixed(1)} L${x(last.i).toFixed(1)},${y(last.v).toFixed(1)}`}
          fill="none"
          stroke="#94a3b8"
          strokeWidth={1.5}
          strokeDasharray="2 2"
        />
      ) : null}
      <circle
        cx={x(last.i)}
        cy={y(last.v)}
        r={2}
        fill={partial ? 'white' : '#4f46e5'}
        stroke={partial ? '#94a3b8' : 'none'}
        strokeWidth={1.2}
      />
    </svg>
  );
}
