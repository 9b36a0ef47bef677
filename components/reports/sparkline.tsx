/** A tiny server-rendered trend line (SVG: prints and exports as drawn, no client JavaScript). */
export function Sparkline({
  points,
  label,
}: {
  points: readonly { label: string; value: number | null }[];
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
  const d = known
    .map((p, n) => `${n === 0 ? 'M' : 'L'}${x(p.i).toFixed(1)},${y(p.v).toFixed(1)}`)
    .join(' ');
  const last = known[known.length - 1]!;
  return (
    <svg
      width={W}
      height={H}
      viewBox={`0 0 ${W} ${H}`}
      role="img"
      aria-label={`${label}: ${points.map((p) => `${p.label} ${p.value ?? 'no value'}`).join(', ')}`}
      className="overflow-visible"
    >
      <path d={d} fill="none" stroke="#4f46e5" strokeWidth={1.5} strokeLinejoin="round" />
      <circle cx={x(last.i)} cy={y(last.v)} r={2} fill="#4f46e5" />
    </svg>
  );
}
