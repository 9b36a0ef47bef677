import { sql } from 'drizzle-orm';
import { execRows, type Executor } from '@/db/client';
import { NUDGE_KEY_PREFIX } from '@/lib/domain/missing-values';
import type { NotificationKind } from '@/lib/notify/kinds';

/** The last notification of one kind (a nudge apart) to one person about a (KPI, period). */
export type ItemNotice = {
  kpiId: string;
  periodStart: string;
  kind: NotificationKind;
  /** A "remind now" nudge rather than a scheduled reminder (both are check-in reminders). */
  nudge: boolean;
  recipientUserId: string;
  lastAt: Date;
};

/**
 * Who was told about these (KPI, period) items, from the notifications' recorded items
 * (`notification_items`): per item, kind, nudge or not and recipient, the latest time; only
 * notifications created at or after `since` when given. Tenant: orgId (the caller's tenant
 * transaction).
 */
export async function listItemNotices(
  db: Executor,
  orgId: string,
  items: readonly { kpiId: string; periodStart: string }[],
  since?: Date,
): Promise<ItemNotice[]> {
  if (items.length === 0) return [];
  const rows = await execRows<{
    kpi_id: string;
    period_start: string;
    kind: NotificationKind;
    nudge: boolean;
    recipient_user_id: string;
    last_at: Date | string;
  }>(
    db,
    sql`with wanted as (
          select distinct * from json_to_recordset(${JSON.stringify(
            items.map((i) => ({ kpi_id: i.kpiId, period_start: i.periodStart })),
          )}::json) as w(kpi_id uuid, period_start date)
        )
        select i.kpi_id, i.period_start::text as period_start, n.kind,
               starts_with(n.dedup_key, ${NUDGE_KEY_PREFIX}) as nudge,
               n.recipient_user_id, max(n.created_at) as last_at
          from wanted w
          join notification_items i
            on i.org_id = ${orgId} and i.kpi_id = w.kpi_id and i.period_start = w.period_start
          join notifications n on n.org_id = i.org_id and n.id = i.notification_id
         where ${since ? sql`n.created_at >= ${since.toISOString()}::timestamptz` : sql`true`}
         group by 1, 2, 3, 4, 5`,
  );
  return rows.map((r) => ({
    kpiId: r.kpi_id,
    periodStart: r.period_start,
    kind: r.kind,
    nudge: Boolean(r.nudge),
    recipientUserId: r.recipient_user_id,
    lastAt: new Date(r.last_at),
  }));
}
