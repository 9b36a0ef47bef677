import { aggregateValues } from '@/lib/domain/aggregation';
import {
  computeAllPeriodValues,
  type CascadeCheckin,
  type CascadeKpi,
} from '@/lib/domain/cascade-compute';
import { addDays, dateParts, daysBetween } from '@/lib/domain/dates';
import {
  cadenceMonths,
  periodContains,
  periodEndExclusive,
  periodLabel,
  previousPeriodStart,
  subPeriodStarts,
  type Cadence,
} from '@/lib/domain/periods';

/*
 * Like-for-like "Change" (DESIGN section 2, "Targets, progress and status"): a complete period
 * is compared with the complete period before it; the open period to date with the previous
 * period up to the same day of the period (its readings up to then, not its total). Pure.
 */

/**
 * A stretch of days as `Intl` writes a range in the organization's `locale`: `Nov 1 – 5` (en-US),
 * `1 – 5 Nov` (en-GB), `1.–5. Nov.` (de-DE), `1–5 nov.` (fr-FR) within a month; across months
 * `Jul 1 – Aug 15`; with the years when it spans two (`Dec 1, 2025 – Jan 5, 2026`); one day alone
 * as `Nov 1`. Formatted in UTC from the calendar dates.
 */
export function dateRangeLabel(from: string, toInclusive: string, locale: string): string {
  const a = dateParts(from);
  const b = dateParts(toInclusive);
  const format = new Intl.DateTimeFormat(locale, {
    month: 'short',
    day: 'numeric',
    ...(a.year !== b.year ? { year: 'numeric' } : {}),
    timeZone: 'UTC',
  });
  const start = new Date(Date.UTC(a.year, a.month - 1, a.day));
  if (from === toInclusive) return format.format(start);
  return format.formatRange(start, new Date(Date.UTC(b.year, b.month - 1, b.day)));
}

/** What an open or closed period is compared with. */
export type Comparison = {
  /** Start of the previous period. */
  start: string;
  /** Exclusive end of the compared stretch: the previous period's end, or the same day of it. */
  to: string;
  /** True when only the previous period to date is compared (the period is still open). */
  toDate: boolean;
  /** What the change is against: "Nov 1-5" (to date) or "Nov 2026" (the complete period). */
  label: string;
};

/**
 * The stretch of the previous period a period is compared with on `today`: the whole previous
 * period when the period has closed (or not started), else the previous period's first days up to
 * the same day of the period (clamped to its end: March 31 compares with all of February).
 */
export function comparisonFor(
  period: { start: string; cadence: Cadence },
  fyStartMonth: number,
  today: string,
  locale: string,
): Comparison {
  const start = previousPeriodStart(period.start, period.cadence);
  const end = periodEndExclusive(start, period.cadence);
  const whole = {
    start,
    to: end,
    toDate: false,
    label: periodLabel(start, period.cadence, fyStartMonth, locale),
  };
  if (!periodContains(period.start, period.cadence, today)) return whole;
  const to = addDays(start, daysBetween(period.start, today) + 1);
  if (to >= end) return whole;
  return { start, to, toDate: true, label: dateRangeLabel(start, addDays(to, -1), locale) };
}

/**
 * Each KPI's value over the compared stretch, recomputed from the check-ins dated inside it
 * (`checkins` may hold more: only those in `[comparison.start, comparison.to)` count), rolled up
 * the cascade like stored values are (`computeAllPeriodValues`). A KPI with the report's cadence
 * takes its value of the previous period to date; a shorter one combines its periods inside by
 * its own time aggregation; a longer one is not comparable (null). KPIs without readings in the
 * stretch are null.
 */
export function valuesToDate(
  kpis: readonly CascadeKpi[],
  checkins: readonly CascadeCheckin[],
  comparison: Comparison,
  cadence: Cadence,
  fyStartMonth: number,
): Map<string, string | null> {
  const inStretch = checkins.filter(
    (c) => c.observedOn >= comparison.start && c.observedOn < comparison.to,
  );
  const computed = computeAllPeriodValues(kpis, inStretch, fyStartMonth);
  const result = new Map<string, string | null>();
  for (const kpi of kpis) {
    const values = computed.get(kpi.id);
    if (cadenceMonths(kpi.cadence) > cadenceMonths(cadence)) {
      result.set(kpi.id, null);
      continue;
    }
    const parts = subPeriodStarts(comparison.start, cadence, kpi.cadence)
      .map((s) => values?.get(s)?.value)
      .filter((v): v is string => v !== undefined);
    result.set(kpi.id, aggregateValues(kpi.timeAggregation, parts));
  }
  return result;
}
