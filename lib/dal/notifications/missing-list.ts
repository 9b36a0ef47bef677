import { and, eq } from 'drizzle-orm';
import { withOrgRead, type Executor } from '@/db/client';
import { organizations, units } from '@/db/schema';
import { can } from '@/lib/authz/can';
import { todayInTimeZone } from '@/lib/domain/dates';
import { daysOverdue, missingListPeriods, type DuePeriod } from '@/lib/domain/missing-values';
import type { Cadence } from '@/lib/domain/periods';
import type { ReminderSettings } from '@/lib/domain/reminders';
import { notFoundError } from '@/lib/errors';
import type { OrgContext } from '@/lib/server/org-context';
import { listItemNotices } from './item-history';
import { listMissingValues, type MissingValue } from './missing-values';

/** One missing value on the list, with what has been done about it. */
export type MissingValueRow = {
  kpiId: string;
  kpiName: string;
  unitName: string;
  cadence: Cadence;
  periodStart: string;
  dueDate: string;
  /** Positive: days past the due date; 0: due today; negative: due in that many days. */
  daysOverdue: number;
  /** The owner's latest scheduled reminder, nudge and escalation (to a lead) about it. */
  remindedAt: string | null;
  nudgedAt: string | null;
  escalatedAt: string | null;
};

/** A person with missing values, most overdue first. */
export type MissingValuesOfPerson = {
  userId: string;
  name: string;
  homeUnitName: string;
  items: MissingValueRow[];
};

export type MissingValuesList = {
  today: string;
  people: MissingValuesOfPerson[];
  /** Every missing value the actor may remind about (people.items may hold fewer). */
  total: number;
  truncated: boolean;
};

/** A large organization's list stops here (the page says how many more there are). */
export const MISSING_LIST_LIMIT = 500;

/** The organization's reminder days (for due dates). Tenant: orgId. */
export async function readReminderDays(db: Executor, orgId: string): Promise<ReminderSettings> {
  const [row] = await db
    .select({
      daysBefore: organizations.reminderDaysBefore,
      graceDays: organizations.reminderGraceDays,
    })
    .from(organizations)
    .where(eq(organizations.id, orgId));
  if (!row) throw notFoundError();
  return row;
}

/** May the actor see this missing value and remind its owner about it? */
export function mayRemindAbout(ctx: OrgContext, m: MissingValue): boolean {
  return (
    can(ctx, 'kpis.read', {
      isIndividual: m.isIndividual,
      ownerUserId: m.ownerUserId,
      ownerHomeUnitId: m.ownerHomeUnitId,
    }) && can(ctx, 'checkins.remind', { unitId: m.unitId, ownerHomeUnitId: m.ownerHomeUnitId })
  );
}

const iso = (d: Date | undefined) => (d ? d.toISOString() : null);

/**
 * The missing values at `now`: every owned KPI recorded by hand without a value for the period
 * that just closed, or for the open one once its first reminder has gone
 * (lib/domain/missing-values), grouped by person (most overdue first), with due date, days
 * overdue and the latest reminder, nudge and escalation recorded about each. Permission:
 * `checkins.remind`: owners and admins see the whole organization, leads what lies in their
 * subtree (the KPI's unit or its owner's home unit); others get an empty list. Tenant: ctx.org.
 */
export async function listMissingValuesForActor(
  ctx: OrgContext,
  now: Date,
): Promise<MissingValuesList> {
  const today = todayInTimeZone(ctx.org.timeZone, now);
  return withOrgRead(ctx.org.id, async (db) => {
    const settings = await readReminderDays(db, ctx.org.id);
    const periods = missingListPeriods(today, ctx.org.fyStartMonth, settings);
    const byPeriod = new Map<string, DuePeriod>(
      periods.map((p) => [`${p.cadence}:${p.periodStart}`, p]),
    );
    const mine = (await listMissingValues(db, ctx.org.id, periods)).filter((m) =>
      mayRemindAbout(ctx, m),
    );
    const unitRows = await db
      .select({ id: units.id, name: units.name })
      .from(units)
      .where(and(eq(units.orgId, ctx.org.id)));
    const unitName = new Map(unitRows.map((u) => [u.id, u.name]));
    const rows = mine
      .map((m) => {
        const p = byPeriod.get(`${m.cadence}:${m.periodStart}`)!;
        return { m, dueDate: p.dueDate, overdue: daysOverdue(today, p.dueDate) };
      })
      .sort(
        (a, b) =>
          b.overdue - a.overdue ||
          a.m.ownerName.localeCompare(b.m.ownerName) ||
          a.m.kpiName.localeCompare(b.m.kpiName),
      );
    const shown = rows.slice(0, MISSING_LIST_LIMIT);
    const notices = await listItemNotices(
      db,
      ctx.org.id,
      shown.map(({ m }) => m),
    );
    const latest = new Map<string, Date>();
    for (const n of notices) {
      const what =
        n.kind === 'missing_escalation'
          ? 'escalated'
          : n.kind === 'checkin_reminder'
            ? n.nudge
              ? 'nudged'
              : 'reminded'
            : null;
      if (!what) continue;
      const key = `${n.kpiId}:${n.periodStart}:${what}`;
      const seen = latest.get(key);
      if (!seen || seen < n.lastAt) latest.set(key, n.lastAt);
    }
    const people = new Map<string, MissingValuesOfPerson>();
    for (const { m, dueDate, overdue } of shown) {
      const person = people.get(m.ownerUserId) ?? {
        userId: m.ownerUserId,
        name: m.ownerName,
        homeUnitName: unitName.get(m.ownerHomeUnitId) ?? '',
        items: [],
      };
      people.set(m.ownerUserId, person);
      const at = (what: string) => iso(latest.get(`${m.kpiId}:${m.periodStart}:${what}`));
      person.items.push({
        kpiId: m.kpiId,
        kpiName: m.kpiName,
        unitName: unitName.get(m.unitId) ?? '',
        cadence: m.cadence,
        periodStart: m.periodStart,
        dueDate,
        daysOverdue: overdue,
        remindedAt: at('reminded'),
        nudgedAt: at('nudged'),
        escalatedAt: at('escalated'),
      });
    }
    return {
      today,
      people: [...people.values()],
      total: rows.length,
      truncated: rows.length > shown.length,
    };
  });
}
