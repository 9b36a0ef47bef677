import { dateParts } from './dates';
import { Dec } from './decimal';
import { formatProgress } from './format';
import { reminderDateAt } from './reminders';

/*
 * Weekly digests and scheduled reports: when they are due and what a digest says (pure). Both go
 * out at the reminders' local hour (09:00 in the organization's time zone); a worker that was
 * down then catches up later that local day, never on a later one.
 */

/** ISO weekday of a date: 1 Monday .. 7 Sunday. */
export function isoWeekday(date: string): number {
  const { year, month, day } = dateParts(date);
  const d = new Date(Date.UTC(year, month - 1, day)).getUTCDay();
  return d === 0 ? 7 : d;
}

/** The ISO week of a date, as `2026-W51` (weeks start on Monday; week 1 holds the first Thursday). */
export function isoWeekKey(date: string): string {
  const { year, month, day } = dateParts(date);
  const d = new Date(Date.UTC(year, month - 1, day));
  // The Thursday of this week decides the ISO year.
  d.setUTCDate(d.getUTCDate() + 4 - isoWeekday(date));
  const isoYear = d.getUTCFullYear();
  const week = Math.ceil(((d.getTime() - Date.UTC(isoYear, 0, 1)) / 86_400_000 + 1) / 7);
  return `${isoYear}-W${String(week).padStart(2, '0')}`;
}

/**
 * The local date whose weekly digest is due at `now`: the organization's week start (Monday)
 * once its 09:00 has passed, else null.
 */
export function digestDateAt(now: Date, timeZone: string): string | null {
  const date = reminderDateAt(now, timeZone);
  return date && isoWeekday(date) === 1 ? date : null;
}

/** One digest a person and ISO week (the deduplication key). */
export function digestDedupKey(date: string): string {
  return `digest:${isoWeekKey(date)}`;
}

/** When a scheduled report goes out. */
export type ReportCadence =
  { frequency: 'weekly'; weekday: number } | { frequency: 'monthly'; dayOfMonth: number };

/** Whether a schedule has an occurrence on a local date. */
export function scheduleOccursOn(schedule: ReportCadence, date: string): boolean {
  return schedule.frequency === 'weekly'
    ? isoWeekday(date) === schedule.weekday
    : dateParts(date).day === schedule.dayOfMonth;
}

/** One e-mail a recipient, schedule and occurrence (the deduplication key). */
export function scheduledReportDedupKey(scheduleId: string, date: string): string {
  return `report:${scheduleId}:${date}`;
}

export const WEEKDAY_NAMES = [
  'Monday',
  'Tuesday',
  'Wednesday',
  'Thursday',
  'Friday',
  'Saturday',
  'Sunday',
] as const;

/** "Weekly on Monday" / "Monthly on day 5". */
export function describeReportCadence(schedule: ReportCadence): string {
  return schedule.frequency === 'weekly'
    ? `Weekly on ${WEEKDAY_NAMES[schedule.weekday - 1] ?? '?'}`
    : `Monthly on day ${schedule.dayOfMonth}`;
}

/** A KPI's value now and in the like-for-like previous period (exact decimal strings). */
export type MoverCandidate = {
  kpiId: string;
  name: string;
  unitId: string;
  value: string | null;
  previous: string | null;
  previousLabel: string;
};

export type Mover = MoverCandidate & { value: string; previous: string; relativeChange: number };

/** How many movers a digest lists. */
export const DIGEST_MOVERS = 5;

/**
 * The biggest movers: largest relative change |now - before| / |before|, where both exist and
 * `before` is not zero (a change from nothing has no ratio); ties by name. Unchanged KPIs are
 * not movers.
 */
export function biggestMovers(
  candidates: readonly MoverCandidate[],
  limit = DIGEST_MOVERS,
): Mover[] {
  return candidates
    .flatMap((c): Mover[] => {
      if (c.value === null || c.previous === null) return [];
      const before = new Dec(c.previous);
      if (before.isZero()) return [];
      const relative = new Dec(c.value).minus(before).div(before.abs()).toNumber();
      return relative === 0
        ? []
        : [{ ...c, value: c.value, previous: c.previous, relativeChange: relative }];
    })
    .sort(
      (a, b) =>
        Math.abs(b.relativeChange) - Math.abs(a.relativeChange) || a.name.localeCompare(b.name),
    )
    .slice(0, limit);
}

/** "+25%" / "-4%" / ">999%": a relative change through the one percent formatter, signed. */
export function formatRelativeChange(relative: number, locale: string): string {
  const shown = formatProgress(relative, locale);
  return relative > 0 && /^\d/.test(shown) && Math.round(relative * 100) !== 0
    ? `+${shown}`
    : shown;
}

/** What changed in one person's scope; empty digests are not sent. */
export type DigestContent<S, M, V> = { statusChanges: S[]; missing: M[]; movers: V[] };

export function isEmptyDigest(d: DigestContent<unknown, unknown, unknown>): boolean {
  return d.statusChanges.length === 0 && d.missing.length === 0 && d.movers.length === 0;
}

/** Keeps what lies in a person's scope (the units they see: `null` for the whole organization). */
export function digestForScope<S extends { unitId: string }, M extends { unitId: string }>(
  scope: ReadonlySet<string> | null,
  all: { statusChanges: readonly S[]; missing: readonly M[]; movers: readonly MoverCandidate[] },
): DigestContent<S, M, Mover> {
  const inScope = (x: { unitId: string }) => scope === null || scope.has(x.unitId);
  return {
    statusChanges: all.statusChanges.filter(inScope),
    missing: all.missing.filter(inScope),
    movers: biggestMovers(all.movers.filter(inScope)),
  };
}
