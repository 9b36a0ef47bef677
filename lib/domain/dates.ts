/**
 * Calendar dates as ISO `YYYY-MM-DD` strings. All arithmetic runs on UTC day numbers, so the
 * server's local time zone and daylight saving never shift a date.
 */

import { localeTable } from './locale-tables';

/** Result of parsing a date typed by a person: a normalized ISO date or a user-facing error. */
export type DateParseResult = { ok: true; value: string } | { ok: false; error: string };

/** Earliest year `parseIsoDate` accepts. */
export const MIN_YEAR = 1900;
/** Latest year `parseIsoDate` accepts. */
export const MAX_YEAR = 2999;

const MS_PER_DAY = 86_400_000;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** True for Gregorian leap years. */
export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

/** Number of days in a month (`month` is 1..12). */
export function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/**
 * Parses a strict `YYYY-MM-DD` date (surrounding whitespace trimmed) that exists on the calendar,
 * with a year from 1900 to 2999. Refuses `2025-02-30`, `2025-13-01`, `2025-1-5`, `infinity`,
 * `epoch` and timestamps.
 */
export function parseIsoDate(raw: string): DateParseResult {
  const text = raw.trim();
  const match = ISO_DATE.exec(text);
  if (!match) return { ok: false, error: 'Enter a date as YYYY-MM-DD, such as 2026-03-31' };
  const year = Number(match[1]);
  const month = Number(match[2]);
  const day = Number(match[3]);
  if (year < MIN_YEAR || year > MAX_YEAR) {
    return { ok: false, error: `Enter a year between ${MIN_YEAR} and ${MAX_YEAR}` };
  }
  if (month < 1 || month > 12) return { ok: false, error: 'Enter a month from 01 to 12' };
  if (day < 1 || day > daysInMonth(year, month)) {
    return { ok: false, error: 'That day does not exist in that month' };
  }
  return { ok: true, value: text };
}

/** Splits a well-formed ISO date into numbers; throws a RangeError on anything else. */
export function dateParts(date: string): { year: number; month: number; day: number } {
  const match = ISO_DATE.exec(date);
  if (match) {
    const year = Number(match[1]);
    const month = Number(match[2]);
    const day = Number(match[3]);
    if (month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month)) {
      return { year, month, day };
    }
  }
  throw new RangeError(`Not an ISO date: ${JSON.stringify(date)}`);
}

/** Builds an ISO date from a year, a month (1..12) and a day. */
export function isoDate(year: number, month: number, day: number): string {
  if (year < 0 || year > 9999) throw new RangeError(`Year out of range: ${year}`);
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

function toDayNumber(date: string): number {
  const { year, month, day } = dateParts(date);
  return Date.UTC(year, month - 1, day) / MS_PER_DAY;
}

function fromDayNumber(dayNumber: number): string {
  const d = new Date(dayNumber * MS_PER_DAY);
  return isoDate(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate());
}

function assertInteger(n: number, what: string): void {
  if (!Number.isSafeInteger(n)) throw new RangeError(`${what} must be an integer, got ${n}`);
}

/** The date `n` days after `date` (before it for negative `n`). */
export function addDays(date: string, n: number): string {
  assertInteger(n, 'Days');
  return fromDayNumber(toDayNumber(date) + n);
}

/**
 * The first-of-month date `n` months after `date`, which must itself be a first of the month
 * (period starts always are); throws a RangeError otherwise rather than guessing a day.
 */
export function addMonths(date: string, n: number): string {
  assertInteger(n, 'Months');
  const { year, month, day } = dateParts(date);
  if (day !== 1) throw new RangeError(`addMonths needs a first-of-month date, got ${date}`);
  const index = year * 12 + (month - 1) + n;
  return isoDate(Math.floor(index / 12), (((index % 12) + 12) % 12) + 1, 1);
}

/** Whole days from `a` to `b`: positive when `b` is later (`daysBetween(d, addDays(d, n)) === n`). */
export function daysBetween(a: string, b: string): number {
  return toDayNumber(b) - toDayNumber(a);
}

/** Orders two ISO dates: -1 when `a` is earlier, 0 when equal, 1 when later. */
export function compareDates(a: string, b: string): -1 | 0 | 1 {
  dateParts(a);
  dateParts(b);
  return a < b ? -1 : a > b ? 1 : 0;
}

/** True when `timeZone` is an IANA zone name this runtime knows (for example `Europe/Berlin`). */
export function isValidTimeZone(timeZone: string): boolean {
  return dayFormatter(timeZone) !== null;
}

/**
 * One `Intl.DateTimeFormat` per valid zone: constructing one costs far more than formatting
 * with it, and a dashboard asks for thousands of dates in the organization's zone.
 */
const dayFormatters = new Map<string, Intl.DateTimeFormat>();
const MAX_CACHED_ZONES = 1000;

function dayFormatter(timeZone: string): Intl.DateTimeFormat | null {
  const cached = dayFormatters.get(timeZone);
  if (cached) return cached;
  if (timeZone.trim() === '') return null;
  let formatter: Intl.DateTimeFormat;
  try {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
    });
  } catch {
    return null;
  }
  if (dayFormatters.size < MAX_CACHED_ZONES) dayFormatters.set(timeZone, formatter);
  return formatter;
}

/**
 * Today's calendar date in an IANA time zone at instant `now` (default: the current instant).
 * This is what decides the organization's current period. Throws a RangeError on an unknown zone.
 */
export function todayInTimeZone(timeZone: string, now: Date = new Date()): string {
  const formatter = dayFormatter(timeZone);
  if (!formatter) throw new RangeError(`Unknown time zone: ${timeZone}`);
  if (Number.isNaN(now.getTime())) throw new RangeError('Invalid instant');
  const parts = formatter.formatToParts(now);
  const part = (type: Intl.DateTimeFormatPartTypes): number => {
    const found = parts.find((p) => p.type === type);
    if (!found) throw new RangeError(`Could not format the date in ${timeZone}`);
    return Number(found.value);
  };
  return isoDate(part('year'), part('month'), part('day'));
}

const dayFormatCache = new Map<string, Intl.DateTimeFormat>();

function dayFormat(locale: string, year: boolean): Intl.DateTimeFormat {
  const key = `${locale}|${year}`;
  let f = dayFormatCache.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(locale, {
      day: '2-digit',
      month: '2-digit',
      ...(year ? { year: 'numeric' } : {}),
      timeZone: 'UTC',
    });
    dayFormatCache.set(key, f);
  }
  return f;
}

/**
 * A day (`YYYY-MM-DD`) as the organization's `locale` writes it: `12/31/2026` (en-US),
 * `31/12/2026` (en-GB, fr-FR), `31.12.2026` (de-DE); `31.12.` with `year: false`. An organization
 * locale from its table (locale-tables.ts: no `Intl` in the browser), any other with `Intl` in
 * UTC from the calendar date, so server and browser print the same text.
 */
export function formatDay(
  date: string,
  locale: string,
  { year = true }: { year?: boolean } = {},
): string {
  const { year: y, month, day } = dateParts(date);
  const table = localeTable(locale)?.day;
  if (table) {
    const dd = String(day).padStart(2, '0');
    const mm = String(month).padStart(2, '0');
    const [first, second] = table.order === 'mdy' ? [mm, dd] : [dd, mm];
    const shown = `${first}${table.separator}${second}`;
    return year ? `${shown}${table.separator}${y}` : `${shown}${table.shortSuffix}`;
  }
  return dayFormat(locale, year).format(new Date(Date.UTC(y, month - 1, day)));
}

/**
 * An instant as the organization's `locale` writes a day and a time in `timeZone`
 * (`31.12.2026, 09:30` in de-DE, `12/31/2026, 09:30 AM` in en-US); without the year on request.
 */
export function formatInstant(
  iso: string,
  timeZone: string,
  locale: string,
  { year = true }: { year?: boolean } = {},
): string {
  return new Intl.DateTimeFormat(locale, {
    timeZone,
    day: '2-digit',
    month: '2-digit',
    ...(year ? { year: 'numeric' } : {}),
    hour: '2-digit',
    minute: '2-digit',
  }).format(new Date(iso));
}

/** The order and separator of a locale's numeric dates (`day`, `month`, `year` and `.` in de-DE). */
function dayPattern(locale: string): { order: ('day' | 'month' | 'year')[]; separator: string } {
  const parts = dayFormat(locale, true).formatToParts(new Date(Date.UTC(2026, 11, 31)));
  const order = parts
    .map((p) => p.type)
    .filter((t): t is 'day' | 'month' | 'year' => t === 'day' || t === 'month' || t === 'year');
  return { order, separator: parts.find((p) => p.type === 'literal')?.value ?? '/' };
}

/** The locale's way of writing 31 December 2026 (`31.12.2026`), named in messages. */
export function localeDayExample(locale: string): string {
  return formatDay('2026-12-31', locale);
}

/**
 * Reads a day typed in `locale`'s way (`31/12/2026` in en-GB and fr-FR, `31.12.2026` in de-DE,
 * `12/31/2026` in en-US; one-digit day and month allowed) or as ISO `2026-12-31` (always
 * accepted), into `YYYY-MM-DD`. A day that does not exist (`31/02/2026`) or another shape is
 * refused with a message naming the expected form.
 */
export function parseLocaleDay(
  raw: string,
  locale: string,
): { ok: true; value: string } | { ok: false; error: string } {
  const text = raw.trim();
  const refused = {
    ok: false as const,
    error: `Write the date as ${localeDayExample(locale)} or 2026-12-31`,
  };
  let y: number, m: number, d: number;
  const iso = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (iso) {
    [y, m, d] = [Number(iso[1]), Number(iso[2]), Number(iso[3])];
  } else {
    const { order, separator } = dayPattern(locale);
    const sep = separator.trim().replace(/[.*+?^${}()|[\]\\]/g, '\\$&') || '\\s';
    const match = new RegExp(`^(\\d{1,4})${sep}(\\d{1,2})${sep}(\\d{1,4})$`).exec(text);
    if (!match) return refused;
    const byType: Record<string, string> = {};
    order.forEach((type, i) => (byType[type] = match[i + 1]!));
    if (
      byType.year?.length !== 4 ||
      (byType.day?.length ?? 3) > 2 ||
      (byType.month?.length ?? 3) > 2
    ) {
      return refused;
    }
    [y, m, d] = [Number(byType.year), Number(byType.month), Number(byType.day)];
  }
  const check = new Date(Date.UTC(y, m - 1, d));
  if (check.getUTCFullYear() !== y || check.getUTCMonth() !== m - 1 || check.getUTCDate() !== d) {
    return refused;
  }
  return {
    ok: true,
    value: `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`,
  };
}

/** Offset of `timeZone` from UTC at `instant`, in minutes (positive east of Greenwich). */
export function timeZoneOffsetMinutes(timeZone: string, instant: number): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric',
  }).formatToParts(new Date(instant));
  const get = (type: Intl.DateTimeFormatPartTypes) =>
    Number(parts.find((p) => p.type === type)?.value ?? NaN);
  const asUtc = Date.UTC(
    get('year'),
    get('month') - 1,
    get('day'),
    get('hour'),
    get('minute'),
    get('second'),
  );
  return Math.round((asUtc - Math.floor(instant / 1000) * 1000) / 60_000);
}

/**
 * The instant of local time `hour`:00 on `date` in `timeZone`. A local time skipped by a
 * daylight-saving jump resolves to the instant after the jump (the clock reads hour + 1).
 */
export function localInstant(date: string, hour: number, timeZone: string): Date {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const wall = Date.UTC(y, m - 1, d, hour);
  let guess = wall - timeZoneOffsetMinutes(timeZone, wall) * 60_000;
  // Twice: the offset at the first guess may differ from the offset at the answer (DST).
  guess = wall - timeZoneOffsetMinutes(timeZone, guess) * 60_000;
  return new Date(guess);
}

/**
 * An instant as the organization's wall clock reads it, ISO 8601 with its offset at that
 * instant: `2026-12-05T16:03:21+01:00` (`Z` never: the offset is always written out).
 */
export function zonedTimestamp(instant: Date, timeZone: string): string {
  const ms = Math.floor(instant.getTime() / 1000) * 1000;
  const offset = timeZoneOffsetMinutes(timeZone, ms);
  const wall = new Date(ms + offset * 60_000).toISOString().slice(0, 19);
  const sign = offset < 0 ? '-' : '+';
  const abs = Math.abs(offset);
  const hh = String(Math.floor(abs / 60)).padStart(2, '0');
  const mm = String(abs % 60).padStart(2, '0');
  return `${wall}${sign}${hh}:${mm}`;
}
