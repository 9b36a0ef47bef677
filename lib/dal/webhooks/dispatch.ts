import { sql } from 'drizzle-orm';
import { execRows, getDb, withOrgTx, type Tx } from '@/db/client';
import {
  createNotifications,
  type DraftMail,
  type NotificationDraft,
} from '../notifications/create';
import {
  afterWebhookFailure,
  shouldDisableEndpoint,
  WEBHOOK_LEASE_MS,
} from '@/lib/domain/webhook-policy';

/*
 * The delivery job's side of webhooks (issue 23, item 2). Events in the outbox become one
 * delivery per subscribed endpoint in the transaction that deletes them (none lost, none
 * doubled). A delivery is claimed (status `sending`, attempts + 1, a lease) in a statement that
 * skips rows another worker holds, and settled only by the claim that made the attempt, which
 * also logs the attempt and keeps the endpoint's failure record: an endpoint failing for a day
 * is disabled in that same transaction, where its admins' notices are created.
 */

/** Organizations with webhook work at `now` (a security-definer function: ids only). */
export async function listOrgsWithWebhookWork(now: Date): Promise<string[]> {
  const db = await getDb();
  const rows = await execRows<{ org_id: string }>(
    db,
    sql`select orgs_with_webhook_work(${now.toISOString()}::timestamptz) as org_id`,
  );
  return rows.map((r) => r.org_id);
}

const BATCH = 200;

/**
 * Turns up to BATCH waiting events of the organization into deliveries for the enabled
 * endpoints subscribed to them, and deletes those events, in one transaction. The body is
 * fixed here (`{ type, timestamp, data }`), so every attempt signs the same bytes. Returns how
 * many events it handled. Tenant: orgId.
 */
export async function fanOutWebhookEvents(orgId: string, now: Date): Promise<number> {
  return withOrgTx(orgId, async (tx) => {
    const taken = await execRows<{ id: string }>(
      tx,
      sql`with taken as (
            select id, type, payload, created_at from webhook_events
             where org_id = ${orgId}::uuid
             order by seq limit ${BATCH}
               for update skip locked),
          delivered as (
            insert into webhook_deliveries
              (org_id, endpoint_id, event_id, event_type, body, status, attempts,
               next_attempt_at, created_at, updated_at)
            select ${orgId}::uuid, w.id, e.id, e.type,
                   jsonb_build_object(
                     'type', e.type,
                     'timestamp', to_char(e.created_at at time zone 'UTC',
                                          'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
                     'data', e.payload)::text,
                   'pending', 0, ${now.toISOString()}::timestamptz,
                   ${now.toISOString()}::timestamptz, ${now.toISOString()}::timestamptz
              from taken e
              join webhook_endpoints w
                on w.org_id = ${orgId}::uuid and w.enabled and e.type = any(w.events))
          delete from webhook_events
           where org_id = ${orgId}::uuid and id in (select id from taken)
          returning id`,
    );
    return taken.length;
  });
}

/** A claimed delivery, ready to sign and send. */
export type ClaimedWebhook = {
  id: string;
  orgId: string;
  endpointId: string;
  attempt: number;
  eventType: string;
  body: string;
  url: string;
  secretSealed: string;
};

/**
 * Claims up to `limit` deliveries due at `now` to enabled endpoints: pending or retrying ones
 * whose time has come, and sending ones whose lease ran out. Tenant: orgId.
 */
export async function claimDueWebhooks(
  orgId: string,
  now: Date,
  limit: number,
): Promise<ClaimedWebhook[]> {
  const at = now.toISOString();
  const leaseEnd = new Date(now.getTime() + WEBHOOK_LEASE_MS).toISOString();
  return withOrgTx(orgId, async (tx) => {
    const rows = await execRows<{
      id: string;
      endpoint_id: string;
      attempts: number;
      event_type: string;
      body: string;
      url: string;
      secret_sealed: string;
    }>(
      tx,
      sql`update webhook_deliveries d
             set status = 'sending', attempts = d.attempts + 1,
                 claimed_until = ${leaseEnd}::timestamptz, updated_at = ${at}::timestamptz
            from webhook_endpoints w
           where d.id in (
             select x.id from webhook_deliveries x
              where x.org_id = ${orgId}::uuid
                and ((x.status in ('pending', 'retrying') and x.next_attempt_at <= ${at}::timestamptz)
                  or (x.status = 'sending' and x.claimed_until <= ${at}::timestamptz))
              order by x.next_attempt_at, x.id
              limit ${limit}
              for update of x skip locked)
             and d.org_id = ${orgId}::uuid
             and w.org_id = d.org_id and w.id = d.endpoint_id and w.enabled
          returning d.id, d.endpoint_id, d.attempts, d.event_type, d.body, w.url,
                    w.secret_sealed`,
    );
    return rows.map((r) => ({
      id: r.id,
      orgId,
      endpointId: r.endpoint_id,
      attempt: Number(r.attempts),
      eventType: r.event_type,
      body: r.body,
      url: r.url,
      secretSealed: r.secret_sealed,
    }));
  });
}

/** What one attempt gave. */
export type AttemptResult = {
  ok: boolean;
  statusCode: number | null;
  durationMs: number;
  error: string | null;
};

/** An endpoint disabled by a failed attempt: its admins are told in the same transaction. */
export type DisabledEndpoint = { id: string; url: string; failingSince: Date };

/** How the admins hear of a disabled endpoint: their notices, and the e-mail of each. */
export type DisabledNotice = {
  draft: (endpoint: DisabledEndpoint, adminUserIds: string[]) => NotificationDraft[];
  smtpConfigured: boolean;
  messageIdHost: string;
  renderMail: (draft: NotificationDraft, recipient: { name: string; email: string }) => DraftMail;
};

/**
 * Settles a claimed attempt (only the claim that made it: same attempt number): logs it; on
 * success the delivery is `delivered` and the endpoint's failure record cleared; on failure it is
 * retried with backoff or `failed`, the endpoint's failure record starts (if it had none), and
 * an endpoint failing for a day is disabled and its owners and admins notified (`notice`) in
 * this transaction. Returns
 * the delivery's new status, or null when the claim was no longer current. Tenant: orgId.
 */
export async function settleWebhookAttempt(
  claimed: ClaimedWebhook,
  result: AttemptResult,
  now: Date,
  notice: DisabledNotice,
): Promise<'delivered' | 'retrying' | 'failed' | 'disabled' | null> {
  const at = now.toISOString();
  const orgId = claimed.orgId;
  return withOrgTx(orgId, async (tx) => {
    const next = result.ok ? null : afterWebhookFailure(claimed.attempt, now);
    const status = result.ok ? 'delivered' : next!.status;
    const nextAt = next?.status === 'retrying' ? next.nextAttemptAt.toISOString() : null;
    const updated = await execRows<{ id: string }>(
      tx,
      sql`update webhook_deliveries
             set status = ${status}::webhook_delivery_status, claimed_until = null,
                 next_attempt_at = coalesce(${nextAt}::timestamptz, next_attempt_at),
                 updated_at = ${at}::timestamptz
           where org_id = ${orgId}::uuid and id = ${claimed.id}::uuid
             and status = 'sending' and attempts = ${claimed.attempt}
          returning id`,
    );
    if (updated.length === 0) return null;
    await execRows(
      tx,
      sql`insert into webhook_attempts
            (org_id, delivery_id, endpoint_id, attempt, status_code, duration_ms, error, attempted_at)
          values (${orgId}::uuid, ${claimed.id}::uuid, ${claimed.endpointId}::uuid,
                  ${claimed.attempt}, ${result.statusCode}, ${result.durationMs},
                  ${result.error}, ${at}::timestamptz)`,
    );
    if (result.ok) {
      await execRows(
        tx,
        sql`update webhook_endpoints set failing_since = null
             where org_id = ${orgId}::uuid and id = ${claimed.endpointId}::uuid`,
      );
      return status;
    }
    const [endpoint] = await execRows<{
      id: string;
      url: string;
      enabled: boolean;
      failing_since: string | Date;
    }>(
      tx,
      sql`update webhook_endpoints
             set failing_since = coalesce(failing_since, ${at}::timestamptz)
           where org_id = ${orgId}::uuid and id = ${claimed.endpointId}::uuid
          returning id, url, enabled, failing_since`,
    );
    if (endpoint?.enabled && shouldDisableEndpoint(new Date(endpoint.failing_since), now)) {
      await execRows(
        tx,
        sql`update webhook_endpoints
               set enabled = false, updated_at = ${at}::timestamptz,
                   disabled_reason = ${`Every delivery failed for a day (last: ${result.error ?? 'no answer'}).`}
             where org_id = ${orgId}::uuid and id = ${claimed.endpointId}::uuid`,
      );
      const disabled = {
        id: endpoint.id,
        url: endpoint.url,
        failingSince: new Date(endpoint.failing_since),
      };
      const drafts = notice.draft(disabled, await listOrgAdmins(tx, orgId));
      await createNotifications(tx, orgId, drafts, { ...notice, now });
      return 'disabled';
    }
    return status;
  });
}

/** The owners and admins of the organization (they hear of a disabled endpoint). */
async function listOrgAdmins(tx: Tx, orgId: string): Promise<string[]> {
  const rows = await execRows<{ user_id: string }>(
    tx,
    sql`select user_id from memberships
         where org_id = ${orgId}::uuid and role in ('owner', 'admin')
         order by user_id`,
  );
  return rows.map((r) => r.user_id);
}
