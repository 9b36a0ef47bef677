import { addDays, parseIsoDate, todayInTimeZone } from '@/lib/domain/dates';
import {
  periodEndExclusive,
  periodLabel,
  periodStart,
  previousPeriodStart,
  type Cadence,
} from '@/lib/domain/periods';

/**
 * The period the dashboard looks at, from `?period=<cadence>-<start>` (default: the last complete
 * month, what a review meeting discusses; the open one is "this period so far").
 */
export type DashboardPeriod = {
  key: string;
  cadence: Cadence;
  start: string;
  label: string;
  isCurrent: boolean;
  /** The date values are read as of: today for the current period, else its last day. */
  asOf: string;
};

export type PeriodOption = { key: string; label: string; cadence: Cadence; isCurrent: boolean };

/** What period resolution needs of the organization. */
export type PeriodSettings = { fyStartMonth: number; timeZone: string; locale: string };

const PERIOD_PARAM = /^(month|quarter|year)-(\d{4}-\d{2}-01)$/;
const OPTION_COUNTS: Record<Cadence, number> = { month: 12, quarter: 6, year: 3 };

function toPeriod(
  cadence: Cadence,
  start: string,
  org: PeriodSettings,
  today: string,
): DashboardPeriod {
  const { fyStartMonth } = org;
  const isCurrent = periodStart(today, cadence, fyStartMonth) === start;
  return {
    key: `${cadence}-${start}`,
    cadence,
    start,
    label: periodLabel(start, cadence, fyStartMonth, org.locale),
    isCurrent,
    asOf: isCurrent ? today : addDays(periodEndExclusive(start, cadence), -1),
  };
}

/** The open period of `cadence` on `today`: "this period so far". */
export function openPeriod(
  cadence: Cadence,
  org: PeriodSettings,
  today: string = todayInTimeZone(org.timeZone),
): DashboardPeriod {
  return toPeriod(cadence, periodStart(today, cadence, org.fyStartMonth), org, today);
}

/** The last complete period of `cadence` on `today` (the one before the open one). */
export function lastCompletePeriod(
  cadence: Cadence,
  org: PeriodSettings,
  today: string = todayInTimeZone(org.timeZone),
): DashboardPeriod {
  const open = periodStart(today, cadence, org.fyStartMonth);
  return toPeriod(cadence, previousPeriodStart(open, cadence), org, today);
}

/**
 * Reads the `period` search parameter. Without one, or with anything malformed, outside the
 * supported years (MIN_YEAR..MAX_YEAR of lib/domain/dates, so `0000` and `0001` never reach date
 * arithmetic), not a period start of that cadence (fiscal year aware) or in the future, it is the
 * last complete month: a bad link never errors, and a night without new data never changes the
 * headline (only a month closing does). `refused` tells a given-but-unusable parameter apart
 * from none, for a notice on pages and a 400 from API and CSV routes. Pure but for the default of
 * `today` (the org's clock).
 */
export function readDashboardPeriod(
  raw: string | string[] | undefined | null,
  org: PeriodSettings,
  today: string = todayInTimeZone(org.timeZone),
): { period: DashboardPeriod; refused: boolean } {
  const given = raw !== undefined && raw !== null && raw !== '';
  const fallback = () => ({ period: lastCompletePeriod('month', org, today), refused: given });
  const match = typeof raw === 'string' ? PERIOD_PARAM.exec(raw) : null;
  if (!match) return fallback();
  const cadence = match[1] as Cadence;
  const start = match[2]!;
  if (!parseIsoDate(start).ok) return fallback();
  try {
    if (periodStart(start, cadence, org.fyStartMonth) !== start || start > today) return fallback();
    return { period: toPeriod(cadence, start, org, today), refused: false };
  } catch {
    return fallback();
  }
}

/** The period of `?period=` (see readDashboardPeriod), the last complete month for a bad one. */
export function resolveDashboardPeriod(
  raw: string | string[] | undefined | null,
  org: PeriodSettings,
  today: string = todayInTimeZone(org.timeZone),
): DashboardPeriod {
  return readDashboardPeriod(raw, org, today).period;
}

/** The periods the picker offers: this and the last 11 months, 5 quarters and 2 years. */
export function listPeriodOptions(
  org: PeriodSettings,
  today: string = todayInTimeZone(org.timeZone),
): PeriodOption[] {
  const options: PeriodOption[] = [];
  for (const cadence of ['month', 'quarter', 'year'] as const) {
    let start = periodStart(today, cadence, org.fyStartMonth);
    for (let i = 0; i < OPTION_COUNTS[cadence]; i += 1) {
      const p = toPeriod(cadence, start, org, today);
      options.push({ key: p.key, label: p.label, cadence, isCurrent: p.isCurrent });
      start = previousPeriodStart(start, cadence);
    }
  }
  return options;
}

const TREND_LENGTH: Record<Cadence, number> = { month: 12, quarter: 8, year: 5 };

/**
 * The own periods a north star's trend shows: the one containing `asOf` and those before it
 * (12 months, 8 quarters or 5 years), oldest first.
 */
export function trendPeriodStarts(asOf: string, cadence: Cadence, fyStartMonth: number): string[] {
  const starts = [periodStart(asOf, cadence, fyStartMonth)];
  while (starts.length < TREND_LENGTH[cadence]) {
    starts.unshift(previousPeriodStart(starts[0]!, cadence));
  }
  return starts;
}
