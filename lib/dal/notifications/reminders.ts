import { sql } from 'drizzle-orm';
import { execRows, withOrgTx } from '@/db/client';
import type { Cadence } from '@/lib/domain/periods';
import type { DueItem, ReminderSlot } from '@/lib/domain/reminders';
import { createNotifications, type DraftMail, type NotificationDraft } from './create';

/**
 * The KPIs due for a reminder in these slots: active, owned, recorded by hand (rollup
 * `manual`: the ones a person checks in), of the slot's cadence, existing before the period
 * ended, and with no value for the slot's period. Tenant: orgId.
 */
async function listDueItems(
  tx: Parameters<Parameters<typeof withOrgTx>[1]>[0],
  orgId: string,
  slots: readonly ReminderSlot[],
): Promise<DueItem[]> {
  if (slots.length === 0) return [];
  const rows = await execRows<{
    kpi_id: string;
    kpi_name: string;
    owner_user_id: string;
    stage: 'before' | 'due';
    cadence: Cadence;
    period_start: string;
    last_day: string;
    due_date: string;
  }>(
    tx,
    sql`with slots as (
          select * from json_to_recordset(${JSON.stringify(
            slots.map((s) => ({
              stage: s.stage,
              cadence: s.cadence,
              period_start: s.periodStart,
              last_day: s.lastDay,
              due_date: s.dueDate,
            })),
          )}::json) as s(stage text, cadence text, period_start date, last_day date, due_date date)
        )
        select k.id as kpi_id, k.name as kpi_name, k.owner_user_id, s.stage, s.cadence,
               s.period_start::text as period_start, s.last_day::text as last_day,
               s.due_date::text as due_date
          from kpis k
          join slots s on s.cadence = k.cadence::text
         where k.org_id = ${orgId}
           and k.archived_on is null
           and k.rollup = 'manual'
           and k.owner_user_id is not null
           and k.created_at::date <= s.last_day
           and not exists (
             select 1 from kpi_period_values v
              where v.org_id = k.org_id and v.kpi_id = k.id and v.period_start = s.period_start)`,
  );
  return rows.map((r) => ({
    ownerUserId: r.owner_user_id,
    kpiId: r.kpi_id,
    kpiName: r.kpi_name,
    stage: r.stage,
    cadence: r.cadence,
    periodStart: r.period_start,
    lastDay: r.last_day,
    dueDate: r.due_date,
  }));
}

/**
 * In one tenant transaction: finds what is due in `slots`, lets `draft` turn it into one
 * notification per person (with its mail), and creates those not created before (their
 * deduplication keys). Returns how many were new. Tenant: orgId.
 */
export async function recordDueReminders(
  orgId: string,
  slots: readonly ReminderSlot[],
  opts: {
    now: Date;
    smtpConfigured: boolean;
    messageIdHost: string;
    draft: (items: DueItem[]) => NotificationDraft[];
    renderMail: (draft: NotificationDraft, recipient: { name: string; email: string }) => DraftMail;
  },
): Promise<number> {
  return withOrgTx(orgId, async (tx) => {
    const items = await listDueItems(tx, orgId, slots);
    const drafts = opts.draft(items);
    const created = await createNotifications(tx, orgId, drafts, opts);
    return created.length;
  });
}
