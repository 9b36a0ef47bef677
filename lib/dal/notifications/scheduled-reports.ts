import { and, eq } from 'drizzle-orm';
import { withOrgRead } from '@/db/client';
import { reportScheduleRecipients, reportSchedules } from '@/db/schema';
import { scheduleOccursOn, scheduledReportDedupKey } from '@/lib/domain/digest';
import { cadenceOf } from '@/lib/dal/reports/schedules';
import { notNotifiedYet } from './create';

/** A schedule with an occurrence due, and who has not had it yet. */
export type DueReportSchedule = {
  id: string;
  /** `company` or the unit id whose subtree the report covers. */
  scopeKey: string;
  frequency: 'weekly' | 'monthly';
  dedupKey: string;
  recipientUserIds: string[];
};

/**
 * The organization's schedules with an occurrence on the local date `date`, each with its
 * current recipients (members only: removing a member removes them) that have no notification
 * of this occurrence yet; schedules everyone has had are left out. Tenant: orgId.
 */
export async function listDueReportSchedules(
  orgId: string,
  date: string,
): Promise<DueReportSchedule[]> {
  return withOrgRead(orgId, async (db) => {
    const schedules = (
      await db
        .select({
          id: reportSchedules.id,
          scopeUnitId: reportSchedules.scopeUnitId,
          frequency: reportSchedules.frequency,
          weekday: reportSchedules.weekday,
          dayOfMonth: reportSchedules.dayOfMonth,
        })
        .from(reportSchedules)
        .where(eq(reportSchedules.orgId, orgId))
    ).filter((s) => scheduleOccursOn(cadenceOf(s), date));
    const due: DueReportSchedule[] = [];
    for (const s of schedules) {
      const dedupKey = scheduledReportDedupKey(s.id, date);
      const pending = await db
        .select({ userId: reportScheduleRecipients.userId })
        .from(reportScheduleRecipients)
        .where(
          and(
            eq(reportScheduleRecipients.orgId, orgId),
            eq(reportScheduleRecipients.scheduleId, s.id),
            notNotifiedYet(db, orgId, reportScheduleRecipients.userId, dedupKey),
          ),
        );
      if (pending.length === 0) continue;
      due.push({
        id: s.id,
        scopeKey: s.scopeUnitId ?? 'company',
        frequency: s.frequency,
        dedupKey,
        recipientUserIds: pending.map((p) => p.userId),
      });
    }
    return due;
  });
}
