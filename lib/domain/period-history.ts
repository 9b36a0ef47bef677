import { previousPeriodStart, type Cadence } from './periods';

/** Periods of history read per KPI for its recent values: a year of months, two of quarters, five years. */
export const HISTORY_PERIODS: Readonly<Record<Cadence, number>> = Object.freeze({
  month: 12,
  quarter: 8,
  year: 5,
});

/**
 * The starts of the `count` periods of `cadence` ending with the one starting on `current`,
 * oldest first (the current period last). Always at least the current one. Pure.
 */
export function recentPeriodStarts(
  current: string,
  cadence: Cadence,
  count: number = HISTORY_PERIODS[cadence],
): string[] {
  const starts = [current];
  for (let i = 1; i < count; i += 1) starts.unshift(previousPeriodStart(starts[0]!, cadence));
  return starts;
}
