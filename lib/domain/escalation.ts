import { addDays } from './dates';
import { CADENCES, periodEndExclusive, periodStart, type Cadence } from './periods';
import type { ReminderSettings } from './reminders';

/**
 * Escalation of missing check-ins (DESIGN.md, "Due"), pure: a value still missing the
 * organization's escalation delay (default DEFAULT_ESCALATION_DELAY_DAYS, 1 to 30) after its due
 * date goes to the owner's unit lead (step 1); still missing as many days later, to the next lead
 * up the chain (step 2), and so on to the top. Sent at the reminder hour in the organization's
 * time zone, one message per lead and day.
 */
export const DEFAULT_ESCALATION_DELAY_DAYS = 3;

/** A period whose missing values escalate on some date, and how many steps up. */
export type EscalationSlot = {
  cadence: Cadence;
  periodStart: string;
  lastDay: string;
  dueDate: string;
  step: number;
};

/** Escalation slots on local date `date`: step k where `date = due date + k * afterDays`. */
export function escalationSlotsOn(
  date: string,
  fyStartMonth: number,
  settings: ReminderSettings,
  maxSteps: number,
  afterDays: number = DEFAULT_ESCALATION_DELAY_DAYS,
): EscalationSlot[] {
  const slots: EscalationSlot[] = [];
  for (const cadence of CADENCES) {
    for (let step = 1; step <= maxSteps; step += 1) {
      const dueDate = addDays(date, -step * afterDays);
      const lastDay = addDays(dueDate, -settings.graceDays);
      const start = periodStart(lastDay, cadence, fyStartMonth);
      if (addDays(periodEndExclusive(start, cadence), -1) === lastDay) {
        slots.push({ cadence, periodStart: start, lastDay, dueDate, step });
      }
    }
  }
  return slots;
}

export type UnitNode = { parentId: string | null; leadUserId: string | null };

/**
 * The leads above a KPI owner, nearest first: the lead of the owner's home unit, then of each
 * unit up to the root; the owner themself and repeats are skipped (a lead of two levels is asked
 * once), so step k goes to the k-th entry.
 */
export function leadChain(
  homeUnitId: string,
  ownerUserId: string,
  units: ReadonlyMap<string, UnitNode>,
): string[] {
  const chain: string[] = [];
  const seen = new Set<string>([ownerUserId]);
  let current: string | null = homeUnitId;
  for (let guard = 0; current && guard < 1000; guard += 1) {
    const unit = units.get(current);
    if (!unit) break;
    if (unit.leadUserId && !seen.has(unit.leadUserId)) {
      seen.add(unit.leadUserId);
      chain.push(unit.leadUserId);
    }
    current = unit.parentId;
  }
  return chain;
}

/** One lead's escalation: at most one a local day (the deduplication key). */
export function escalationDedupKey(date: string): string {
  return `escalation:${date}`;
}
