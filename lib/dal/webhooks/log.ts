import { and, desc, eq, inArray } from 'drizzle-orm';
import { withOrgRead, type Tx } from '@/db/client';
import { webhookAttempts, webhookDeliveries, webhookEndpoints } from '@/db/schema';
import { assertCan } from '@/lib/authz/can';
import { notFoundError, validationError } from '@/lib/errors';
import type { OrgContext } from '@/lib/server/org-context';
import type { ResendWebhookDeliveryInput } from '@/lib/validation/webhooks';
import { appendAudit } from '@/lib/dal/audit';

/*
 * The webhook delivery log (issue 23, item 2): per endpoint, its latest deliveries with every
 * attempt (status code, duration, error, time), and "Resend": the same delivery (same
 * `webhook-id` and body, so a receiver can recognize it) due again at once. Permission
 * `settings.manage`; another organization's endpoint or delivery is NOT_FOUND.
 */

export type WebhookAttemptDto = {
  attempt: number;
  statusCode: number | null;
  durationMs: number;
  error: string | null;
  attemptedAt: string;
};

export type WebhookDeliveryDto = {
  id: string;
  eventType: string;
  status: 'pending' | 'sending' | 'retrying' | 'delivered' | 'failed';
  attempts: number;
  nextAttemptAt: string;
  createdAt: string;
  body: string;
  log: WebhookAttemptDto[];
};

/** Deliveries shown per endpoint (the newest). */
export const WEBHOOK_LOG_LIMIT = 50;

/**
 * The endpoint's newest deliveries with their attempts (newest first). Tenant: ctx.org.
 * Permission: `settings.manage`.
 */
export async function listWebhookDeliveries(
  ctx: OrgContext,
  endpointId: string,
): Promise<WebhookDeliveryDto[]> {
  assertCan(ctx, 'settings.manage');
  const orgId = ctx.org.id;
  return withOrgRead(orgId, async (db) => {
    const [endpoint] = await db
      .select({ id: webhookEndpoints.id })
      .from(webhookEndpoints)
      .where(and(eq(webhookEndpoints.orgId, orgId), eq(webhookEndpoints.id, endpointId)));
    if (!endpoint) throw notFoundError();
    const rows = await db
      .select({
        id: webhookDeliveries.id,
        eventType: webhookDeliveries.eventType,
        status: webhookDeliveries.status,
        attempts: webhookDeliveries.attempts,
        nextAttemptAt: webhookDeliveries.nextAttemptAt,
        createdAt: webhookDeliveries.createdAt,
        body: webhookDeliveries.body,
      })
      .from(webhookDeliveries)
      .where(and(eq(webhookDeliveries.orgId, orgId), eq(webhookDeliveries.endpointId, endpointId)))
      .orderBy(desc(webhookDeliveries.createdAt), desc(webhookDeliveries.id))
      .limit(WEBHOOK_LOG_LIMIT);
    const ids = rows.map((r) => r.id);
    const attempts = ids.length
      ? await db
          .select({
            deliveryId: webhookAttempts.deliveryId,
            attempt: webhookAttempts.attempt,
            statusCode: webhookAttempts.statusCode,
            durationMs: webhookAttempts.durationMs,
            error: webhookAttempts.error,
            attemptedAt: webhookAttempts.attemptedAt,
          })
          .from(webhookAttempts)
          .where(and(eq(webhookAttempts.orgId, orgId), inArray(webhookAttempts.deliveryId, ids)))
          .orderBy(desc(webhookAttempts.attemptedAt), desc(webhookAttempts.attempt))
      : [];
    return rows.map((r) => ({
      ...r,
      nextAttemptAt: r.nextAttemptAt.toISOString(),
      createdAt: r.createdAt.toISOString(),
      log: attempts
        .filter((a) => a.deliveryId === r.id)
        .map(({ deliveryId: _d, ...a }) => ({ ...a, attemptedAt: a.attemptedAt.toISOString() })),
    }));
  });
}

/**
 * Makes a delivery due again now (same id and body, a new attempt). Refused while an attempt is
 * in flight or the endpoint is off. Audited. Tenant: ctx.org. Permission: `settings.manage`.
 */
export async function resendWebhookDelivery(
  ctx: OrgContext,
  tx: Tx,
  input: ResendWebhookDeliveryInput,
  now: Date = new Date(),
): Promise<{ id: string }> {
  assertCan(ctx, 'settings.manage');
  const orgId = ctx.org.id;
  const [row] = await tx
    .select({
      id: webhookDeliveries.id,
      status: webhookDeliveries.status,
      enabled: webhookEndpoints.enabled,
    })
    .from(webhookDeliveries)
    .innerJoin(webhookEndpoints, eq(webhookEndpoints.id, webhookDeliveries.endpointId))
    .where(and(eq(webhookDeliveries.orgId, orgId), eq(webhookDeliveries.id, input.deliveryId)))
    .for('update', { of: webhookDeliveries });
  if (!row) throw notFoundError();
  if (!row.enabled) throw validationError('Turn the endpoint on before resending to it.');
  if (row.status === 'sending') {
    throw validationError('This delivery is being sent right now: wait a moment.');
  }
  await tx
    .update(webhookDeliveries)
    .set({ status: 'pending', nextAttemptAt: now, claimedUntil: null, updatedAt: now })
    .where(and(eq(webhookDeliveries.orgId, orgId), eq(webhookDeliveries.id, row.id)));
  await appendAudit(tx, {
    orgId,
    actorUserId: ctx.actor.userId,
    action: 'webhook.resend',
    entityType: 'webhook_delivery',
    entityId: row.id,
    before: { status: row.status },
    after: { status: 'pending' },
  });
  return { id: row.id };
}
