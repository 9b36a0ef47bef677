import { and, eq, sql } from 'drizzle-orm';
import { execRows, getDb, withOrgTx } from '@/db/client';
import { mailDeliveries } from '@/db/schema';
import type { MailAttachment } from './create';
import { afterFailure, DELIVERY_LEASE_MS } from '@/lib/domain/delivery-policy';

/*
 * The mail worker's side of deliveries. Exactly once rests on state transitions in Postgres: a
 * delivery is claimed (status `sending`, attempts + 1, a lease in claimed_until) in a statement
 * that skips rows another transaction holds, so two workers never claim one delivery; it is
 * marked sent only by the claim that sent it (same attempt number). A worker that dies after
 * claiming leaves a `sending` row whose lease runs out; the next run claims it again.
 */

/** A claimed delivery, ready to send. */
export type ClaimedDelivery = {
  id: string;
  orgId: string;
  attempt: number;
  toAddress: string;
  subject: string;
  textBody: string;
  htmlBody: string;
  unsubscribeUrl: string;
  messageId: string;
  attachment: MailAttachment | null;
};

/** The organizations with a delivery due at `now` (through a narrow SECURITY DEFINER function). */
export async function listOrgsWithDueMail(now: Date): Promise<string[]> {
  const db = await getDb();
  const rows = await execRows<{ org_id: string }>(
    db,
    sql`select orgs_with_due_mail(${now.toISOString()}::timestamptz) as org_id`,
  );
  return rows.map((r) => r.org_id);
}

/**
 * Claims up to `limit` deliveries of the organization due at `now`: pending or retrying ones
 * whose time has come, and sending ones whose lease ran out. Tenant: orgId.
 */
export async function claimDueDeliveries(
  orgId: string,
  now: Date,
  limit: number,
): Promise<ClaimedDelivery[]> {
  const at = now.toISOString();
  const leaseEnd = new Date(now.getTime() + DELIVERY_LEASE_MS).toISOString();
  return withOrgTx(orgId, async (tx) => {
    const rows = await execRows<{
      id: string;
      org_id: string;
      attempts: number;
      to_address: string;
      subject: string;
      text_body: string;
      html_body: string;
      unsubscribe_url: string;
      message_id: string;
      attachment_name: string | null;
      attachment_type: string | null;
      attachment: Uint8Array | null;
    }>(
      tx,
      sql`update mail_deliveries d
             set status = 'sending', attempts = d.attempts + 1,
                 claimed_until = ${leaseEnd}::timestamptz, updated_at = ${at}::timestamptz
           where d.id in (
             select id from mail_deliveries
              where org_id = ${orgId}
                and ((status in ('pending', 'retrying') and next_attempt_at <= ${at}::timestamptz)
                  or (status = 'sending' and claimed_until <= ${at}::timestamptz))
              order by next_attempt_at, id
              limit ${limit}
              for update skip locked)
             and d.org_id = ${orgId}
          returning d.id, d.org_id, d.attempts, d.to_address, d.subject, d.text_body,
                    d.html_body, d.unsubscribe_url, d.message_id, d.attachment_name,
                    d.attachment_type, d.attachment`,
    );
    return rows.map((r) => ({
      id: r.id,
      orgId: r.org_id,
      attempt: Number(r.attempts),
      toAddress: r.to_address,
      subject: r.subject,
      textBody: r.text_body,
      htmlBody: r.html_body,
      unsubscribeUrl: r.unsubscribe_url,
      messageId: r.message_id,
      attachment:
        r.attachment_name && r.attachment_type && r.attachment
          ? {
              filename: r.attachment_name,
              contentType: r.attachment_type,
              content: r.attachment,
            }
          : null,
    }));
  });
}

/** Marks a claimed delivery sent (only the claim that sent it: same attempt). Tenant: orgId. */
export async function markDeliverySent(delivery: ClaimedDelivery, now: Date): Promise<void> {
  await withOrgTx(delivery.orgId, (tx) =>
    tx
      .update(mailDeliveries)
      .set({ status: 'sent', sentAt: now, claimedUntil: null, lastError: null, updatedAt: now })
      .where(
        and(
          eq(mailDeliveries.orgId, delivery.orgId),
          eq(mailDeliveries.id, delivery.id),
          eq(mailDeliveries.status, 'sending'),
          eq(mailDeliveries.attempts, delivery.attempt),
        ),
      ),
  );
}

/**
 * Records a failed attempt: retried later with backoff, or `failed` after the last attempt.
 * Tenant: orgId.
 */
export async function markDeliveryFailed(
  delivery: ClaimedDelivery,
  reason: string,
  now: Date,
): Promise<'retrying' | 'failed'> {
  const next = afterFailure(delivery.attempt, now);
  await withOrgTx(delivery.orgId, (tx) =>
    tx
      .update(mailDeliveries)
      .set({
        status: next.status,
        lastError: reason,
        claimedUntil: null,
        updatedAt: now,
        ...(next.status === 'retrying' ? { nextAttemptAt: next.nextAttemptAt } : {}),
      })
      .where(
        and(
          eq(mailDeliveries.orgId, delivery.orgId),
          eq(mailDeliveries.id, delivery.id),
          eq(mailDeliveries.status, 'sending'),
          eq(mailDeliveries.attempts, delivery.attempt),
        ),
      ),
  );
  return next.status;
}
