import type { SVGProps } from 'react';
import { linePath, type Point } from '@/lib/domain/chart-geometry';

/**
 * A line through `points` as one SVG path, coordinates to `digits` decimals (linePath); nothing
 * for fewer than two points. The other props (stroke, width, dashes) style it.
 */
export function LinePath({
  points,
  digits,
  ...style
}: { points: readonly Point[]; digits?: number } & Omit<SVGProps<SVGPathElement>, 'd' | 'points'>) {
  if (points.length < 2) return null;
  return <path d={linePath(points, digits)} {...style} />;
}
