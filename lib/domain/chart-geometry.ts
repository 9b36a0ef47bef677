/*
 * Scales and SVG paths for every chart the server draws: the KPI page's actual-vs-target chart,
 * the dashboard's and the report's sparklines (the PDF report's sparkline uses the scales). Pure;
 * numbers here are for drawing only (never on a write path).
 */

/** A point in a drawing's own coordinates (SVG's y runs downwards). */
export type Point = readonly [x: number, y: number];

/**
 * A linear scale from `domain` onto `range`; a range may run downwards, as y does in SVG. A domain
 * without width (a flat line) maps every value to the range's start.
 */
export function linearScale(
  [d0, d1]: readonly [number, number],
  [r0, r1]: readonly [number, number],
): (value: number) => number {
  const span = d1 - d0 || 1;
  return (value) => r0 + ((value - d0) / span) * (r1 - r0);
}

/** The x of each of `count` evenly spaced periods across `range` (a single one at its start). */
export function indexScale(count: number, [r0, r1]: readonly [number, number]) {
  const step = count > 1 ? (r1 - r0) / (count - 1) : 0;
  return (index: number) => r0 + index * step;
}

/** Each value's point, null where the value is missing (a gap in the line). */
export function plot(
  values: readonly (number | null)[],
  x: (index: number) => number,
  y: (value: number) => number,
): (Point | null)[] {
  return values.map((v, i) => (v === null ? null : ([x(i), y(v)] as const)));
}

/** The points, gaps left out (a line that joins across missing values). */
export const present = (points: readonly (Point | null)[]): Point[] =>
  points.filter((p): p is Point => p !== null);

/** The runs of consecutive points between gaps (a line broken where a value is missing). */
export function runs(points: readonly (Point | null)[]): Point[][] {
  const out: Point[][] = [];
  let run: Point[] = [];
  for (const p of points) {
    if (p) run.push(p);
    else if (run.length) {
      out.push(run);
      run = [];
    }
  }
  if (run.length) out.push(run);
  return out;
}

const num = (v: number, digits: number) => v.toFixed(digits);

/** An SVG path through `points` (`M x,y L x,y ...`), coordinates to `digits` decimals. */
export function linePath(points: readonly Point[], digits = 2): string {
  return points
    .map(([x, y], i) => `${i === 0 ? 'M' : 'L'}${num(x, digits)},${num(y, digits)}`)
    .join(' ');
}

/** One path of several lines, each run its own subpath (nothing drawn across the gaps). */
export function brokenLinePath(lines: readonly (readonly Point[])[], digits = 2): string {
  return lines
    .filter((l) => l.length > 1)
    .map((l) => linePath(l, digits))
    .join(' ');
}

/** The area between a line and the horizontal `baseline` (for a faint fill under it). */
export function areaPath(points: readonly Point[], baseline: number, digits = 2): string {
  if (points.length < 2) return '';
  const first = points[0]!;
  const last = points[points.length - 1]!;
  return `${linePath(points, digits)} L${num(last[0], digits)},${num(baseline, digits)} L${num(first[0], digits)},${num(baseline, digits)} Z`;
}

/**
 * Dots as zero-length subpaths: drawn with round caps and a non-scaling stroke they stay round
 * and keep their size in an SVG stretched to its box (a `<circle>` would stretch with it).
 */
export function dotsPath(points: readonly Point[], digits = 2): string {
  return points.map(([x, y]) => `M${num(x, digits)},${num(y, digits)}h0`).join(' ');
}

/** Points with no neighbour on their line (a line needs two): drawn as dots so they show. */
export const isolated = (points: readonly (Point | null)[]): Point[] =>
  runs(points)
    .filter((r) => r.length === 1)
    .map((r) => r[0]!);
