import { plot, present, type Point } from '@/lib/domain/chart-geometry';

/* The points of a trend with an open period: the sparklines and the KPI chart draw them (pure). */

/** A point of a trend; `partial` marks the open period, whose value is only "so far". */
export type TrendPoint = { label: string; value: number | null; partial?: boolean };

/**
 * Splits a trend into complete periods and the open one: the open period is drawn as its own
 * faint series, joined to the last complete point, so a flow's month to date never reads as a
 * cliff.
 */
export function splitPartial(
  data: readonly TrendPoint[],
): { period: string; Value: number | null; 'So far': number | null }[] {
  const lastComplete = data.map((p) => !p.partial && p.value !== null).lastIndexOf(true);
  return data.map((p, i) => ({
    period: p.partial ? `${p.label} (so far)` : p.label,
    Value: p.partial ? null : p.value,
    'So far':
      p.partial || (i === lastComplete && data.some((q) => q.partial && q.value !== null))
        ? p.value
        : null,
  }));
}

/**
 * A trend's points in a drawing (`x` by index, `y` by value): the complete periods with their
 * gaps (null), and the open period's segment from the last complete point (gaps left out).
 */
export function plotTrend(
  data: readonly TrendPoint[],
  x: (index: number) => number,
  y: (value: number) => number,
): { complete: (Point | null)[]; soFar: Point[] } {
  const split = splitPartial(data);
  return {
    complete: plot(
      split.map((p) => p.Value),
      x,
      y,
    ),
    soFar: present(
      plot(
        split.map((p) => p['So far']),
        x,
        y,
      ),
    ),
  };
}
