import { sql } from 'drizzle-orm';
import { execRows, withOrgTx } from '@/db/client';
import { localInstant, addDays, todayInTimeZone } from '@/lib/domain/dates';
import {
  CADENCES,
  periodLabel,
  periodStart,
  previousPeriodStart,
  type Cadence,
} from '@/lib/domain/periods';
import { webhookEventsInsertSql } from './outbox';

/*
 * `period.closed` (issue 23, item 2): a period closes at midnight of its last day in the
 * organization's time zone; the first delivery run after that announces it, once: the mark per
 * organization and cadence (`webhook_period_marks`) moves forward in the transaction that writes
 * the event. Only the latest closed period of each cadence counts, and only when it closed after
 * an endpoint subscribed to the event existed (registering an endpoint announces nothing old).
 */

/**
 * Webhook payloads are a machine contract read by other systems, not a page: their period label
 * keeps one fixed form (`Nov 2026`, `Q4 FY2026`) whatever the organization's locale.
 */
const WEBHOOK_LABEL_LOCALE = 'en-US';

/**
 * Records the `period.closed` events due at `now` for an organization (months, fiscal quarters,
 * fiscal years) and returns how many. Tenant: org.id.
 */
export async function recordClosedPeriods(
  org: { id: string; timeZone: string; fyStartMonth: number },
  now: Date,
): Promise<number> {
  const today = todayInTimeZone(org.timeZone, now);
  return withOrgTx(org.id, async (tx) => {
    const [first] = await execRows<{ since: string | Date | null }>(
      tx,
      sql`select min(created_at) as since from webhook_endpoints
           where org_id = ${org.id}::uuid and enabled and 'period.closed' = any(events)`,
    );
    if (!first?.since) return 0;
    const since = new Date(first.since);
    let recorded = 0;
    for (const cadence of CADENCES as readonly Cadence[]) {
      const open = periodStart(today, cadence, org.fyStartMonth);
      const closedAt = localInstant(open, 0, org.timeZone);
      if (closedAt.getTime() < since.getTime()) continue;
      const closed = previousPeriodStart(open, cadence);
      const moved = await execRows<{ cadence: string }>(
        tx,
        sql`insert into webhook_period_marks (org_id, cadence, period_start)
            values (${org.id}::uuid, ${cadence}::kpi_cadence, ${closed}::date)
            on conflict (org_id, cadence) do update set period_start = excluded.period_start
              where webhook_period_marks.period_start < excluded.period_start
            returning cadence`,
      );
      if (moved.length === 0) continue;
      await execRows(
        tx,
        webhookEventsInsertSql(org.id, [
          {
            type: 'period.closed',
            data: {
              cadence,
              periodStart: closed,
              periodEnd: addDays(open, -1),
              label: periodLabel(closed, cadence, org.fyStartMonth, WEBHOOK_LABEL_LOCALE),
              closedAt: closedAt.toISOString(),
            },
          },
        ]),
      );
      recorded += 1;
    }
    return recorded;
  });
}
