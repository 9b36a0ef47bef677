import { addDays, localInstant, todayInTimeZone } from './dates';
import { CADENCES, periodEndExclusive, periodStart, type Cadence } from './periods';

/**
 * Check-in reminder schedule (DESIGN.md, "Due"): pure date math, no I/O. A KPI with an owner and
 * no value for a period gets a reminder `daysBefore` days before the period's last day and one on
 * its due date (the last day + `graceDays`), both at REMINDER_LOCAL_HOUR in the organization's
 * time zone. One message per person and local day lists everything due that day.
 */
// Where the local-time math lives now; re-exported for the callers of this module.
export { localInstant } from './dates';

export type ReminderSettings = { daysBefore: number; graceDays: number };

export const DEFAULT_REMINDER_SETTINGS: ReminderSettings = { daysBefore: 3, graceDays: 2 };

/** Reminders go out from this local hour on (09:00 in the organization's time zone). */
export const REMINDER_LOCAL_HOUR = 9;

export type ReminderStage = 'before' | 'due';

/** A period a reminder on some local date is about. `lastDay` is the period's last day. */
export type ReminderSlot = {
  stage: ReminderStage;
  cadence: Cadence;
  periodStart: string;
  lastDay: string;
  /** The date the value is due: the last day + grace days. */
  dueDate: string;
};

function lastDayOf(start: string, cadence: Cadence): string {
  return addDays(periodEndExclusive(start, cadence), -1);
}

/**
 * The reminder slots that fall on the local date `date`, for every cadence: a "before" slot for
 * the period whose last day is `date + daysBefore`, a "due" slot for the period whose last day is
 * `date - graceDays`.
 */
export function reminderSlotsOn(
  date: string,
  fyStartMonth: number,
  settings: ReminderSettings,
): ReminderSlot[] {
  const slots: ReminderSlot[] = [];
  for (const cadence of CADENCES) {
    const beforeTarget = addDays(date, settings.daysBefore);
    const beforeStart = periodStart(beforeTarget, cadence, fyStartMonth);
    if (lastDayOf(beforeStart, cadence) === beforeTarget) {
      slots.push({
        stage: 'before',
        cadence,
        periodStart: beforeStart,
        lastDay: beforeTarget,
        dueDate: addDays(beforeTarget, settings.graceDays),
      });
    }
    const dueTarget = addDays(date, -settings.graceDays);
    const dueStart = periodStart(dueTarget, cadence, fyStartMonth);
    if (lastDayOf(dueStart, cadence) === dueTarget) {
      slots.push({
        stage: 'due',
        cadence,
        periodStart: dueStart,
        lastDay: dueTarget,
        dueDate: date,
      });
    }
  }
  return slots;
}

/**
 * The local date whose reminders are due at `now`: today in `timeZone` once its
 * REMINDER_LOCAL_HOUR has passed, else null (the rest of that local day catches up a worker
 * that was down at the hour; older days are not sent late).
 */
export function reminderDateAt(now: Date, timeZone: string): string | null {
  const today = todayInTimeZone(timeZone, now);
  return now.getTime() >= localInstant(today, REMINDER_LOCAL_HOUR, timeZone).getTime()
    ? today
    : null;
}

/** One person's reminder: at most one a local day, whatever is due (the deduplication key). */
export function reminderDedupKey(date: string): string {
  return `reminder:${date}`;
}

export type DueItem = {
  ownerUserId: string;
  kpiId: string;
  kpiName: string;
  stage: ReminderStage;
  cadence: Cadence;
  periodStart: string;
  lastDay: string;
  dueDate: string;
};

/**
 * Groups due items per person (one message each), overdue ("due") items first, then by due
 * date and name; people in a stable order.
 */
export function groupByRecipient(
  items: readonly DueItem[],
): { userId: string; items: DueItem[] }[] {
  const byUser = new Map<string, DueItem[]>();
  for (const item of items) {
    const list = byUser.get(item.ownerUserId) ?? [];
    list.push(item);
    byUser.set(item.ownerUserId, list);
  }
  const stageOrder: Record<ReminderStage, number> = { due: 0, before: 1 };
  return [...byUser.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([userId, list]) => ({
      userId,
      items: [...list].sort(
        (a, b) =>
          stageOrder[a.stage] - stageOrder[b.stage] ||
          a.dueDate.localeCompare(b.dueDate) ||
          a.kpiName.localeCompare(b.kpiName) ||
          a.kpiId.localeCompare(b.kpiId),
      ),
    }));
}
