import { addDays, daysBetween } from './dates';
import {
  CADENCES,
  periodEndExclusive,
  periodStart,
  previousPeriodStart,
  type Cadence,
} from './periods';
import type { ReminderSettings } from './reminders';

/*
 * The missing-values list and the nudge ("remind now"), pure: which periods a missing value is
 * looked for in, its due date and how overdue it is. No I/O.
 */

/** A period of one cadence, with its last day and the date its value is due. */
export type DuePeriod = { cadence: Cadence; periodStart: string; lastDay: string; dueDate: string };

function duePeriod(cadence: Cadence, start: string, graceDays: number): DuePeriod {
  const lastDay = addDays(periodEndExclusive(start, cadence), -1);
  return { cadence, periodStart: start, lastDay, dueDate: addDays(lastDay, graceDays) };
}

/**
 * The periods the missing-values list looks at on local date `today`, per cadence: the period
 * that just closed (overdue, or still in its grace days) and the open one once its first
 * reminder has gone (`daysBefore` days before its last day), so the list shows what reminders
 * and escalations are about, not every open quarter and year.
 */
export function missingListPeriods(
  today: string,
  fyStartMonth: number,
  settings: ReminderSettings,
): DuePeriod[] {
  return CADENCES.flatMap((cadence) => {
    const current = duePeriod(
      cadence,
      periodStart(today, cadence, fyStartMonth),
      settings.graceDays,
    );
    const previous = duePeriod(
      cadence,
      previousPeriodStart(current.periodStart, cadence),
      settings.graceDays,
    );
    return today >= addDays(current.lastDay, -settings.daysBefore)
      ? [previous, current]
      : [previous];
  });
}

/** The period of each cadence that contains `on` (what a "remind" from a dashboard is about). */
export function periodsContaining(
  on: string,
  fyStartMonth: number,
  graceDays: number,
): DuePeriod[] {
  return CADENCES.map((cadence) =>
    duePeriod(cadence, periodStart(on, cadence, fyStartMonth), graceDays),
  );
}

/** Days past the due date on `today`: positive when overdue, 0 on the day, negative before. */
export function daysOverdue(today: string, dueDate: string): number {
  return daysBetween(dueDate, today);
}

/** "3 days overdue", "due today", "due in 2 days". */
export function overdueLabel(days: number): string {
  if (days > 0) return `${days} day${days === 1 ? '' : 's'} overdue`;
  if (days === 0) return 'due today';
  return `due in ${-days} day${days === -1 ? '' : 's'}`;
}

/** Deduplication keys of nudges start with this (scheduled reminders' with `reminder:`). */
export const NUDGE_KEY_PREFIX = 'nudge:';
