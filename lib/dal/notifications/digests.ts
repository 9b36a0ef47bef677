import { and, eq, gte, isNull, lt, sql } from 'drizzle-orm';
import { withOrgRead, withOrgTx } from '@/db/client';
import { digestWeekMarks, kpis, memberships, notifications, units } from '@/db/schema';
import { roleHolds } from '@/lib/authz/can';
import { subtreeIds } from '@/lib/domain/tree';
import { notNotifiedYet } from './create';

/** Who gets a weekly digest and what they see: `scope` null is the whole organization. */
export type DigestRecipient = { userId: string; scope: ReadonlySet<string> | null };

/** A status crossing alerted during the week (from the off-track alert notifications). */
export type DigestStatusChange = {
  kpiId: string;
  unitId: string;
  /** "Revenue is off track for Nov 2026" */
  subject: string;
  at: Date;
};

export type DigestInputs = {
  recipients: DigestRecipient[];
  statusChanges: DigestStatusChange[];
  /**
   * Every active team KPI of the organization (individual KPIs stay out of digests): its owning
   * unit and the date it was created (a period that ended before it is not "missing").
   */
  teamKpis: Map<string, { unitId: string; createdOn: string }>;
};

/**
 * Whether the organization's digests of `week` (an ISO week, `2026-W50`) are settled: the job
 * read its reports for that week and created every digest that had something to say
 * (settleDigestWeek). Tenant: orgId.
 */
export async function isDigestWeekSettled(orgId: string, week: string): Promise<boolean> {
  return withOrgRead(orgId, async (db) => {
    const [mark] = await db
      .select({ week: digestWeekMarks.week })
      .from(digestWeekMarks)
      .where(eq(digestWeekMarks.orgId, orgId));
    return mark?.week === week;
  });
}

/**
 * Marks the organization's digests of `week` settled: later runs that day leave it alone, and the
 * people whose digest was empty are not weighed again (nor is a lead appointed after the run:
 * their first digest is the next week's). Tenant: orgId.
 */
export async function settleDigestWeek(orgId: string, week: string): Promise<void> {
  await withOrgTx(orgId, async (tx) => {
    await tx
      .insert(digestWeekMarks)
      .values({ orgId, week })
      .onConflictDoUpdate({ target: digestWeekMarks.orgId, set: { week } });
  });
}

/**
 * What a week's digests are made of, in one read: the owners and admins (whoever sees every
 * KPI: the whole organization is their scope) and unit leads who have no
 * notification `dedupKey` yet (so a run after everyone got theirs stops here), each with their
 * scope (leads: the subtrees they lead), and the off-track alerts and recoveries of team KPIs
 * created in [since, now), one per KPI and crossing. Tenant: orgId.
 */
export async function loadDigestInputs(
  orgId: string,
  opts: { since: Date; now: Date; dedupKey: string },
): Promise<DigestInputs> {
  return withOrgRead(orgId, async (db) => {
    const [people, tree, alerts, teamKpis] = await Promise.all([
      db
        .select({ userId: memberships.userId, role: memberships.role })
        .from(memberships)
        .where(
          and(
            eq(memberships.orgId, orgId),
            notNotifiedYet(db, orgId, memberships.userId, opts.dedupKey),
          ),
        ),
      db
        .select({ id: units.id, parentId: units.parentId, leadUserId: units.leadUserId })
        .from(units)
        .where(and(eq(units.orgId, orgId), isNull(units.archivedAt))),
      db
        .selectDistinctOn([notifications.kpiId, notifications.dedupKey], {
          kpiId: notifications.kpiId,
          subject: notifications.subject,
          at: notifications.createdAt,
        })
        .from(notifications)
        .where(
          and(
            eq(notifications.orgId, orgId),
            eq(notifications.kind, 'status_alert'),
            gte(notifications.createdAt, opts.since),
            lt(notifications.createdAt, opts.now),
          ),
        ),
      db
        .select({
          id: kpis.id,
          unitId: kpis.unitId,
          createdOn: sql<string>`${kpis.createdAt}::date::text`,
        })
        .from(kpis)
        .where(and(eq(kpis.orgId, orgId), eq(kpis.isIndividual, false), isNull(kpis.archivedOn))),
    ]);
    const parentOf = new Map(tree.map((u) => [u.id, u.parentId]));
    const led = new Map<string, Set<string>>();
    for (const u of tree) {
      if (!u.leadUserId) continue;
      const scope = led.get(u.leadUserId) ?? new Set<string>();
      for (const id of subtreeIds(u.id, parentOf)) scope.add(id);
      led.set(u.leadUserId, scope);
    }
    const recipients = people.flatMap((p): DigestRecipient[] => {
      if (roleHolds(p.role, 'kpis.read_all')) return [{ userId: p.userId, scope: null }];
      const scope = led.get(p.userId);
      return scope ? [{ userId: p.userId, scope }] : [];
    });
    const byId = new Map(teamKpis.map(({ id, ...k }) => [id, k]));
    // One line a crossing: the owner's and the lead's alert of one crossing share their key
    // (distinct on it above).
    const statusChanges = alerts
      .flatMap((a): DigestStatusChange[] => {
        const unitId = a.kpiId ? byId.get(a.kpiId)?.unitId : undefined;
        return a.kpiId && unitId ? [{ kpiId: a.kpiId, unitId, subject: a.subject, at: a.at }] : [];
      })
      .sort((x, y) => x.at.getTime() - y.at.getTime() || x.subject.localeCompare(y.subject));
    return { recipients, statusChanges, teamKpis: byId };
  });
}
