import { addMonths, dateParts, daysBetween, isoDate } from '@/lib/domain/dates';

/**
 * Periods: a KPI's month, quarter or year, identified by its first day (an ISO date). Quarters
 * and years follow the organization's fiscal-year start month `fyStartMonth` (1 = January ...
 * 12 = December): with `fyStartMonth = 4` quarters start in Apr, Jul, Oct and Jan.
 */

/** How often a KPI is measured and targeted. */
export type Cadence = 'month' | 'quarter' | 'year';

/** All cadences, shortest first. */
export const CADENCES = ['month', 'quarter', 'year'] as const satisfies readonly Cadence[];

/** Length of a cadence in months: 1, 3 or 12. */
export function cadenceMonths(cadence: Cadence): 1 | 3 | 12 {
  switch (cadence) {
    case 'month':
      return 1;
    case 'quarter':
      return 3;
    case 'year':
      return 12;
  }
}

/** True when `child` is no longer than `parent` (a monthly KPI may feed a quarterly one). */
export function isCadenceNoLongerThan(child: Cadence, parent: Cadence): boolean {
  return cadenceMonths(child) <= cadenceMonths(parent);
}

function assertFyStartMonth(fyStartMonth: number): void {
  if (!Number.isInteger(fyStartMonth) || fyStartMonth < 1 || fyStartMonth > 12) {
    throw new RangeError(`Fiscal-year start month must be 1..12, got ${fyStartMonth}`);
  }
}

function mod(a: number, n: number): number {
  return ((a % n) + n) % n;
}

function assertFirstOfMonth(start: string): { year: number; month: number } {
  const { year, month, day } = dateParts(start);
  if (day !== 1) throw new RangeError(`A period starts on the first of a month, got ${start}`);
  return { year, month };
}

/** First day of the period of `cadence` that contains `date`. */
export function periodStart(date: string, cadence: Cadence, fyStartMonth: number): string {
  assertFyStartMonth(fyStartMonth);
  const { year, month } = dateParts(date);
  const monthIndex = year * 12 + (month - 1);
  const startIndex = monthIndex - mod(monthIndex - (fyStartMonth - 1), cadenceMonths(cadence));
  return isoDate(Math.floor(startIndex / 12), mod(startIndex, 12) + 1, 1);
}

/** First day after the period that starts on `start` (its exclusive end). */
export function periodEndExclusive(start: string, cadence: Cadence): string {
  assertFirstOfMonth(start);
  return addMonths(start, cadenceMonths(cadence));
}

/** Start of the period after the one starting on `start`. */
export function nextPeriodStart(start: string, cadence: Cadence): string {
  return periodEndExclusive(start, cadence);
}

/** Start of the period before the one starting on `start`. */
export function previousPeriodStart(start: string, cadence: Cadence): string {
  assertFirstOfMonth(start);
  return addMonths(start, -cadenceMonths(cadence));
}

/** True when `date` lies in the period of `cadence` starting on `start`. */
export function periodContains(start: string, cadence: Cadence, date: string): boolean {
  dateParts(date);
  return start <= date && date < periodEndExclusive(start, cadence);
}

/** Starts of all periods of `cadence` overlapping `[from, to]` (both inclusive), ascending. */
export function periodStartsInRange(
  from: string,
  to: string,
  cadence: Cadence,
  fyStartMonth: number,
): string[] {
  dateParts(to);
  const starts: string[] = [];
  for (let s = periodStart(from, cadence, fyStartMonth); s <= to; s = nextPeriodStart(s, cadence)) {
    starts.push(s);
  }
  return starts;
}

/**
 * Starts of the `childCadence` periods that make up the parent period (for example the three
 * months of a quarter), ascending. Throws when the child cadence is longer than the parent's.
 */
export function subPeriodStarts(
  parentStart: string,
  parentCadence: Cadence,
  childCadence: Cadence,
): string[] {
  if (!isCadenceNoLongerThan(childCadence, parentCadence)) {
    throw new RangeError(`A ${childCadence} cadence does not fit inside a ${parentCadence}`);
  }
  const end = periodEndExclusive(parentStart, parentCadence);
  const starts: string[] = [];
  for (let s = parentStart; s < end; s = nextPeriodStart(s, childCadence)) starts.push(s);
  return starts;
}

/** The month, quarter and year containing `date`. */
export function enclosingPeriodStarts(date: string, fyStartMonth: number): Record<Cadence, string> {
  return {
    month: periodStart(date, 'month', fyStartMonth),
    quarter: periodStart(date, 'quarter', fyStartMonth),
    year: periodStart(date, 'year', fyStartMonth),
  };
}

/**
 * The fiscal year containing `date`, named by the calendar year in which it ends: with a fiscal
 * year starting in April, 2026-04-01 .. 2027-03-31 is FY2027; with January, FY2026 is 2026.
 */
export function fiscalYearOf(date: string, fyStartMonth: number): number {
  const { year, month } = dateParts(periodStart(date, 'year', fyStartMonth));
  return month === 1 ? year : year + 1;
}

/** Quarter number 1..4 of the quarter containing `date`, counted from the fiscal-year start. */
export function fiscalQuarterOf(date: string, fyStartMonth: number): 1 | 2 | 3 | 4 {
  assertFyStartMonth(fyStartMonth);
  const { month } = dateParts(date);
  return (Math.floor(mod(month - fyStartMonth, 12) / 3) + 1) as 1 | 2 | 3 | 4;
}

/**
 * The words of quarter and fiscal-year labels per language, the one place they are kept: `Q4 FY2026`
 * (English), `Q4 GJ2026` (German: Quartal, Geschäftsjahr), `T4 EX2026` (French: trimestre,
 * exercice). Any other language falls back to English. Months come from `Intl` instead.
 */
const FISCAL_WORDS: Readonly<Record<string, { quarter: string; fiscalYear: string }>> = {
  en: { quarter: 'Q', fiscalYear: 'FY' },
  de: { quarter: 'Q', fiscalYear: 'GJ' },
  fr: { quarter: 'T', fiscalYear: 'EX' },
};

function fiscalWords(locale: string): { quarter: string; fiscalYear: string } {
  const language = locale.split('-')[0]?.toLowerCase() ?? '';
  return FISCAL_WORDS[language] ?? { quarter: 'Q', fiscalYear: 'FY' };
}

const monthFormatCache = new Map<string, Intl.DateTimeFormat>();

function monthFormat(locale: string): Intl.DateTimeFormat {
  let f = monthFormatCache.get(locale);
  if (!f) {
    f = new Intl.DateTimeFormat(locale, { month: 'short', year: 'numeric', timeZone: 'UTC' });
    monthFormatCache.set(locale, f);
  }
  return f;
}

/**
 * Human label of a period in the organization's `locale`: a month as `Intl` writes it (`Dec 2026`
 * in en-US and en-GB, `Dez. 2026` in de-DE, `déc. 2026` in fr-FR); a quarter and a fiscal year
 * with the words of `FISCAL_WORDS` (`Q1 FY2027` / `FY2027`, `Q1 GJ2027`, `T1 EX2027`), quarters
 * numbered from the fiscal-year start. Throws when `start` is not the start of a period of that
 * cadence.
 */
export function periodLabel(
  start: string,
  cadence: Cadence,
  fyStartMonth: number,
  locale: string,
): string {
  if (periodStart(start, cadence, fyStartMonth) !== start) {
    throw new RangeError(
      `${start} does not start a ${cadence} (fiscal year from month ${fyStartMonth})`,
    );
  }
  const { year, month } = dateParts(start);
  const words = fiscalWords(locale);
  switch (cadence) {
    case 'month':
      return monthFormat(locale).format(new Date(Date.UTC(year, month - 1, 1)));
    case 'quarter':
      return `${words.quarter}${fiscalQuarterOf(start, fyStartMonth)} ${words.fiscalYear}${fiscalYearOf(start, fyStartMonth)}`;
    case 'year':
      return `${words.fiscalYear}${fiscalYearOf(start, fyStartMonth)}`;
  }
}

/**
 * How much of a period has passed on `today`: 0 before it starts, 1 once it has ended, else the
 * days elapsed including today divided by the days in the period (the first day gives 1/31 of
 * a 31-day month, the last day 1).
 */
export function elapsedFraction(start: string, cadence: Cadence, today: string): number {
  const end = periodEndExclusive(start, cadence);
  dateParts(today);
  if (today < start) return 0;
  if (today >= end) return 1;
  return (daysBetween(start, today) + 1) / daysBetween(start, end);
}

/** True when `today` lies inside the period: the current, still open period. */
export function isOpenPeriod(start: string, cadence: Cadence, today: string): boolean {
  return periodContains(start, cadence, today);
}
