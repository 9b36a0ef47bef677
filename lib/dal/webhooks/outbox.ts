import { sql, type SQL } from 'drizzle-orm';
import { execRows, type Tx } from '@/db/client';
import type { WebhookEventType } from '@/lib/domain/webhook-policy';

/*
 * The webhook outbox (issue 23, item 2): the events a write causes go into `webhook_events` in
 * that write's own transaction, so a rolled-back write leaves none and a committed one cannot
 * lose its event. Only types some enabled endpoint of the organization subscribes to are
 * written (the statement checks), so organizations without webhooks pay one indexed probe.
 * The delivery job (lib/integrations/webhooks/deliver.ts) fans events out to endpoints.
 */

/** One event to record: its type, its `data`, and the KPI it is about (added as `data.kpi`). */
export type WebhookEventDraft = {
  type: WebhookEventType;
  kpiId?: string | null;
  data: Record<string, unknown>;
};

/**
 * The insert of events as one statement (usable as a data-modifying CTE of a bigger statement).
 * A `kpiId` adds `kpi: { id, key, name }` as the KPI stands in this transaction. Tenant: orgId.
 */
export function webhookEventsInsertSql(orgId: string, events: readonly WebhookEventDraft[]): SQL {
  const records = events.map((e) => ({ type: e.type, kpi_id: e.kpiId ?? null, data: e.data }));
  return sql`insert into webhook_events (org_id, type, payload)
    select ${orgId}::uuid, e.type,
           case when e.kpi_id is null then e.data
                else e.data || jsonb_build_object('kpi',
                  (select jsonb_build_object('id', k.id, 'key', k.key, 'name', k.name)
                     from kpis k where k.org_id = ${orgId}::uuid and k.id = e.kpi_id)) end
      from jsonb_to_recordset(${JSON.stringify(records)}::jsonb)
        as e(type text, kpi_id uuid, data jsonb)
     where exists (select 1 from webhook_endpoints w
                    where w.org_id = ${orgId}::uuid and w.enabled and e.type = any(w.events))`;
}

/** Records events in the caller's tenant transaction (see webhookEventsInsertSql). */
export async function recordWebhookEvents(
  tx: Tx,
  orgId: string,
  events: readonly WebhookEventDraft[],
): Promise<void> {
  if (events.length === 0) return;
  await execRows(tx, webhookEventsInsertSql(orgId, events));
}

/** A check-in as events carry it. */
type EventCheckin = {
  id: string;
  kpiId: string;
  observedOn: string;
  value: string;
  note: string;
  source: string;
  authorUserId: string | null;
};

function checkinData(c: EventCheckin) {
  return {
    id: c.id,
    kpiId: c.kpiId,
    observedOn: c.observedOn,
    value: c.value,
    note: c.note,
    source: c.source,
    authorUserId: c.authorUserId,
  };
}

/** The `data` of a `checkin.recorded` event. */
export function checkinRecordedEvent(c: EventCheckin): WebhookEventDraft {
  return { type: 'checkin.recorded', kpiId: c.kpiId, data: { checkin: checkinData(c) } };
}

/**
 * The `data` of a `checkin.updated` event: the check-in as it is now, what it was before, and who
 * corrected it (a receiver keeping copies of readings replaces its copy).
 */
export function checkinUpdatedEvent(
  before: EventCheckin,
  after: EventCheckin,
  byUserId: string,
): WebhookEventDraft {
  return {
    type: 'checkin.updated',
    kpiId: after.kpiId,
    data: {
      checkin: checkinData(after),
      previous: { observedOn: before.observedOn, value: before.value, note: before.note },
      updatedByUserId: byUserId,
    },
  };
}

/** The `data` of a `checkin.deleted` event: the check-in as it was, and who deleted it. */
export function checkinDeletedEvent(c: EventCheckin, byUserId: string): WebhookEventDraft {
  return {
    type: 'checkin.deleted',
    kpiId: c.kpiId,
    data: { checkin: checkinData(c), deletedByUserId: byUserId },
  };
}
