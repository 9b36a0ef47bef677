import { sql } from 'drizzle-orm';
import { execRows, getDb, withOrgTx } from '@/db/client';
import type { Cadence } from '@/lib/domain/periods';
import type { Direction } from '@/lib/domain/progress';
import type { MeasureUnit } from '@/lib/domain/format';
import type { TimeAggregation } from '@/lib/domain/aggregation';
import { recordWebhookEvents, type WebhookEventDraft } from '../webhooks/outbox';
import { createNotifications, type DraftMail, type NotificationDraft } from './create';

/*
 * The outbox side of off-track alerts (issue 19, item 4): the value changes that writes recorded
 * in `kpi_value_events` (lib/dal/cascade/period-value-sql.ts), read with what grading needs, and
 * turned into notifications in one tenant transaction that also deletes the events it handled.
 * A crash before commit leaves the events for the next run; a re-run over events whose
 * notifications exist creates nothing (their keys name the event).
 */

/** One value change with what grading and the message need. */
export type ValueEvent = {
  id: string;
  kpiId: string;
  kpiName: string;
  periodStart: string;
  oldValue: string | null;
  newValue: string | null;
  /** The writing transaction's instant: statuses are graded as of it. */
  at: Date;
  cadence: Cadence;
  direction: Direction;
  timeAggregation: TimeAggregation;
  baseline: string | null;
  /** The period's target: its override, else the KPI's default; null when none. */
  target: string | null;
  measureUnit: MeasureUnit;
  currency: string | null;
  decimals: number;
  ownerUserId: string | null;
  unitLeadUserId: string | null;
};

/** The organizations with value events waiting (a security-definer function: ids only). */
export async function listOrgsWithValueEvents(): Promise<string[]> {
  const db = await getDb();
  const rows = await execRows<{ org_id: string }>(
    db,
    sql`select orgs_with_value_events() as org_id`,
  );
  return rows.map((r) => r.org_id);
}

/** Most events handled per transaction (the job loops until none is left). */
const BATCH = 500;

/**
 * In one tenant transaction: takes up to BATCH waiting value events of the organization (in write
 * order, skipping those another worker holds), lets `draft` grade them into notifications,
 * creates those not created before, records their webhook events, and deletes the events. Returns how many events were
 * handled and how many notifications were new. Tenant: orgId.
 */
export async function handleValueEvents(
  orgId: string,
  opts: {
    now: Date;
    smtpConfigured: boolean;
    messageIdHost: string;
    draft: (events: ValueEvent[]) => NotificationDraft[];
    renderMail: (draft: NotificationDraft, recipient: { name: string; email: string }) => DraftMail;
    /** The webhook events of these value changes (`kpi.status_changed`), in the same transaction. */
    webhookEvents?: (events: ValueEvent[]) => WebhookEventDraft[];
  },
): Promise<{ events: number; created: number }> {
  return withOrgTx(orgId, async (tx) => {
    const rows = await execRows<{
      id: string;
      kpi_id: string;
      kpi_name: string;
      period_start: string;
      old_value: string | null;
      new_value: string | null;
      created_at: string | Date;
      cadence: Cadence;
      direction: Direction;
      time_aggregation: TimeAggregation;
      baseline: string | null;
      target: string | null;
      measure_unit: MeasureUnit;
      currency: string | null;
      decimals: number;
      owner_user_id: string | null;
      lead_user_id: string | null;
    }>(
      tx,
      sql`select e.id, e.kpi_id, k.name as kpi_name, e.period_start::text as period_start,
                 e.old_value::text as old_value, e.new_value::text as new_value, e.created_at,
                 k.cadence, k.direction, k.time_aggregation, k.baseline::text as baseline,
                 coalesce(t.target, k.default_target)::text as target, k.measure_unit,
                 k.currency, k.decimals,
                 -- Only members get notifications (a former member's id may linger on a KPI).
                 (select m.user_id from memberships m
                   where m.org_id = e.org_id and m.user_id = k.owner_user_id) as owner_user_id,
                 (select m.user_id from memberships m
                   where m.org_id = e.org_id and m.user_id = u.lead_user_id) as lead_user_id
            from kpi_value_events e
            join kpis k on k.org_id = e.org_id and k.id = e.kpi_id
            left join kpi_targets t
              on t.org_id = e.org_id and t.kpi_id = e.kpi_id and t.period_start = e.period_start
            left join units u on u.org_id = k.org_id and u.id = k.unit_id
           where e.org_id = ${orgId}::uuid
           order by e.seq
           limit ${BATCH}
             for update of e skip locked`,
    );
    if (rows.length === 0) return { events: 0, created: 0 };
    const events = rows.map((r): ValueEvent => ({
      id: r.id,
      kpiId: r.kpi_id,
      kpiName: r.kpi_name,
      periodStart: r.period_start,
      oldValue: r.old_value,
      newValue: r.new_value,
      at: new Date(r.created_at),
      cadence: r.cadence,
      direction: r.direction,
      timeAggregation: r.time_aggregation,
      baseline: r.baseline,
      target: r.target,
      measureUnit: r.measure_unit,
      currency: r.currency,
      decimals: Number(r.decimals),
      ownerUserId: r.owner_user_id,
      unitLeadUserId: r.lead_user_id,
    }));
    const created = await createNotifications(tx, orgId, opts.draft(events), opts);
    if (opts.webhookEvents) await recordWebhookEvents(tx, orgId, opts.webhookEvents(events));
    await execRows(
      tx,
      sql`delete from kpi_value_events
           where org_id = ${orgId}::uuid
             and id = any(${`{${events.map((e) => e.id).join(',')}}`}::uuid[])`,
    );
    return { events: events.length, created: created.length };
  });
}
