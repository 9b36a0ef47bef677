import { and, asc, eq, inArray, isNull } from 'drizzle-orm';
import { withOrgRead, type Tx } from '@/db/client';
import { memberships, reportScheduleRecipients, reportSchedules, units, users } from '@/db/schema';
import { assertCan } from '@/lib/authz/can';
import { describeReportCadence, type ReportCadence } from '@/lib/domain/digest';
import { notFoundError } from '@/lib/errors';
import type { OrgContext } from '@/lib/server/org-context';
import type {
  CreateReportScheduleInput,
  DeleteReportScheduleInput,
} from '@/lib/validation/reports';
import { appendAudit } from '@/lib/dal/audit';

/*
 * Scheduled reports, the admins' side: list, create, delete. The job that sends them is
 * lib/notify/scheduled-reports.ts.
 */

export type ReportScheduleDto = {
  id: string;
  /** `company` or the unit id whose subtree it covers. */
  scopeKey: string;
  scopeName: string;
  /** "Weekly on Monday" / "Monthly on day 5". */
  when: string;
  recipients: { userId: string; name: string }[];
  createdAt: string;
};

/** A stored schedule's cadence, from its columns (the table's check keeps them consistent). */
export function cadenceOf(row: {
  frequency: 'weekly' | 'monthly';
  weekday: number | null;
  dayOfMonth: number | null;
}): ReportCadence {
  return row.frequency === 'weekly'
    ? { frequency: 'weekly', weekday: row.weekday ?? 1 }
    : { frequency: 'monthly', dayOfMonth: row.dayOfMonth ?? 1 };
}

/**
 * The organization's report schedules, oldest first, with their current recipients (a removed
 * member is gone from them). Tenant: ctx.org. Permission: `reports.schedule`.
 */
export async function listReportSchedules(ctx: OrgContext): Promise<ReportScheduleDto[]> {
  assertCan(ctx, 'reports.schedule');
  const orgId = ctx.org.id;
  return withOrgRead(orgId, async (db) => {
    const [rows, recipients, root] = await Promise.all([
      db
        .select({
          id: reportSchedules.id,
          scopeUnitId: reportSchedules.scopeUnitId,
          scopeName: units.name,
          frequency: reportSchedules.frequency,
          weekday: reportSchedules.weekday,
          dayOfMonth: reportSchedules.dayOfMonth,
          createdAt: reportSchedules.createdAt,
        })
        .from(reportSchedules)
        .leftJoin(
          units,
          and(eq(units.orgId, reportSchedules.orgId), eq(units.id, reportSchedules.scopeUnitId)),
        )
        .where(eq(reportSchedules.orgId, orgId))
        .orderBy(asc(reportSchedules.createdAt), asc(reportSchedules.id)),
      db
        .select({
          scheduleId: reportScheduleRecipients.scheduleId,
          userId: reportScheduleRecipients.userId,
          name: users.name,
        })
        .from(reportScheduleRecipients)
        .innerJoin(users, eq(users.id, reportScheduleRecipients.userId))
        .where(eq(reportScheduleRecipients.orgId, orgId))
        .orderBy(asc(users.name)),
      db
        .select({ name: units.name })
        .from(units)
        .where(and(eq(units.orgId, orgId), eq(units.kind, 'company'))),
    ]);
    return rows.map((r) => ({
      id: r.id,
      scopeKey: r.scopeUnitId ?? 'company',
      scopeName: r.scopeUnitId ? (r.scopeName ?? '') : (root[0]?.name ?? 'Company'),
      when: describeReportCadence(cadenceOf(r)),
      recipients: recipients
        .filter((x) => x.scheduleId === r.id)
        .map(({ userId, name }) => ({ userId, name })),
      createdAt: r.createdAt.toISOString(),
    }));
  });
}

/**
 * Creates a schedule. The scope is `company` or an active unit of the organization, and every
 * recipient a member of it: anything else (another org's unit or person, a missing id) is
 * NOT_FOUND, and nothing is written. Audited. Tenant: ctx.org. Permission: `reports.schedule`.
 */
export async function createReportSchedule(
  ctx: OrgContext,
  tx: Tx,
  input: CreateReportScheduleInput,
): Promise<{ id: string }> {
  assertCan(ctx, 'reports.schedule');
  const orgId = ctx.org.id;
  let scopeUnitId: string | null = null;
  if (input.scope !== 'company') {
    const [unit] = await tx
      .select({ id: units.id, kind: units.kind })
      .from(units)
      .where(and(eq(units.orgId, orgId), eq(units.id, input.scope), isNull(units.archivedAt)));
    if (!unit) throw notFoundError();
    scopeUnitId = unit.kind === 'company' ? null : unit.id;
  }
  const members = await tx
    .select({ userId: memberships.userId })
    .from(memberships)
    .where(and(eq(memberships.orgId, orgId), inArray(memberships.userId, input.recipientUserIds)));
  if (members.length !== input.recipientUserIds.length) throw notFoundError();
  const [row] = await tx
    .insert(reportSchedules)
    .values({
      orgId,
      scopeUnitId,
      frequency: input.frequency,
      weekday: input.weekday,
      dayOfMonth: input.dayOfMonth,
      createdByUserId: ctx.actor.userId,
    })
    .returning({ id: reportSchedules.id });
  if (!row) throw new Error('schedule insert returned nothing');
  await tx
    .insert(reportScheduleRecipients)
    .values(input.recipientUserIds.map((userId) => ({ orgId, scheduleId: row.id, userId })));
  await appendAudit(tx, {
    orgId,
    actorUserId: ctx.actor.userId,
    action: 'report_schedule.create',
    entityType: 'report_schedule',
    entityId: row.id,
    after: {
      scope: scopeUnitId ?? 'company',
      frequency: input.frequency,
      weekday: input.weekday,
      dayOfMonth: input.dayOfMonth,
      recipients: input.recipientUserIds,
    },
  });
  return { id: row.id };
}

/**
 * Deletes a schedule (its recipients go with it). Another org's id and a missing one are
 * NOT_FOUND. Audited. Tenant: ctx.org. Permission: `reports.schedule`.
 */
export async function deleteReportSchedule(
  ctx: OrgContext,
  tx: Tx,
  input: DeleteReportScheduleInput,
): Promise<{ id: string }> {
  assertCan(ctx, 'reports.schedule');
  const [row] = await tx
    .delete(reportSchedules)
    .where(and(eq(reportSchedules.orgId, ctx.org.id), eq(reportSchedules.id, input.scheduleId)))
    .returning({
      id: reportSchedules.id,
      scopeUnitId: reportSchedules.scopeUnitId,
      frequency: reportSchedules.frequency,
    });
  if (!row) throw notFoundError();
  await appendAudit(tx, {
    orgId: ctx.org.id,
    actorUserId: ctx.actor.userId,
    action: 'report_schedule.delete',
    entityType: 'report_schedule',
    entityId: row.id,
    before: { scope: row.scopeUnitId ?? 'company', frequency: row.frequency },
  });
  return { id: row.id };
}
