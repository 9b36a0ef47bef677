import { periodStart, type Cadence } from '@/lib/domain/periods';

/*
 * The series of a KPI's "actual vs target" chart. Pure; numbers are for drawing only.
 */

/** One period of the chart: its label, and its actual and target for drawing. */
export type ChartPoint = { period: string; Actual: number | null; Target: number | null };

/**
 * The first period a KPI existed in: the period of its creation date (org-local), or an earlier
 * one when it has values before that (history backfilled or imported). Targets are drawn from
 * here on only: a KPI created this month has no target line months back.
 */
export function firstExistingPeriod(input: {
  createdOn: string;
  firstValueStart: string | null;
  cadence: Cadence;
  fyStartMonth: number;
}): string {
  const created = periodStart(input.createdOn, input.cadence, input.fyStartMonth);
  return input.firstValueStart !== null && input.firstValueStart < created
    ? input.firstValueStart
    : created;
}

/**
 * The chart's points, oldest first: every period's actual, and its target only for periods from
 * `existsFrom` (see `firstExistingPeriod`).
 */
export function actualVsTargetPoints(
  history: readonly { start: string; label: string; value: string | null; target: string | null }[],
  existsFrom: string,
): ChartPoint[] {
  return history.map((p) => ({
    period: p.label,
    Actual: p.value === null ? null : Number(p.value),
    Target: p.target === null || p.start < existsFrom ? null : Number(p.target),
  }));
}
