import { and, asc, count, eq } from 'drizzle-orm';
import { withOrgRead, type Tx } from '@/db/client';
import { webhookEndpoints } from '@/db/schema';
import { assertCan } from '@/lib/authz/can';
import type { WebhookEventType } from '@/lib/domain/webhook-policy';
import { notFoundError, validationError } from '@/lib/errors';
import {
  assertEndpointAllowed,
  EndpointRefusedError,
} from '@/lib/integrations/webhooks/address-guard';
import { generateWebhookSecret } from '@/lib/integrations/webhooks/signing';
import { sealSecret } from '@/lib/security/secret-box';
import { secretKeyFor } from '@/lib/security/secret-key';
import type { OrgContext } from '@/lib/server/org-context';
import type {
  CreateWebhookEndpointInput,
  DeleteWebhookEndpointInput,
  UpdateWebhookEndpointInput,
} from '@/lib/validation/webhooks';
import { appendAudit } from '@/lib/dal/audit';

/*
 * Webhook endpoints, the admins' side (issue 23, item 2): list, create (the signing secret is
 * returned this once and stored sealed with the integrations key), update, delete. Permission
 * `settings.manage` (owners and admins); another organization's endpoint is NOT_FOUND.
 */

/** Most endpoints an organization may have. */
export const MAX_WEBHOOK_ENDPOINTS = 20;

export type WebhookEndpointDto = {
  id: string;
  url: string;
  description: string;
  events: WebhookEventType[];
  enabled: boolean;
  /** Why the app turned it off (null when on, or turned off by an admin). */
  disabledReason: string | null;
  /** Failing without a success since then (null while it works). */
  failingSince: string | null;
  createdAt: string;
};

const columns = {
  id: webhookEndpoints.id,
  url: webhookEndpoints.url,
  description: webhookEndpoints.description,
  events: webhookEndpoints.events,
  enabled: webhookEndpoints.enabled,
  disabledReason: webhookEndpoints.disabledReason,
  failingSince: webhookEndpoints.failingSince,
  createdAt: webhookEndpoints.createdAt,
};

function toDto(row: {
  id: string;
  url: string;
  description: string;
  events: string[];
  enabled: boolean;
  disabledReason: string | null;
  failingSince: Date | null;
  createdAt: Date;
}): WebhookEndpointDto {
  return {
    ...row,
    events: row.events as WebhookEventType[],
    failingSince: row.failingSince?.toISOString() ?? null,
    createdAt: row.createdAt.toISOString(),
  };
}

/**
 * Checks where an endpoint URL points (https, every resolved address public, unless
 * WEBHOOKS_ALLOW_PRIVATE=1): VALIDATION on `url` otherwise. It resolves the host, so callers run
 * it before their transaction.
 */
export async function checkWebhookUrl(url: string): Promise<void> {
  try {
    await assertEndpointAllowed(url);
  } catch (error) {
    if (!(error instanceof EndpointRefusedError)) throw error;
    throw validationError('This endpoint URL cannot be used.', { url: [error.message] });
  }
}

/** The organization's endpoints, oldest first. Tenant: ctx.org. Permission: `settings.manage`. */
export async function listWebhookEndpoints(ctx: OrgContext): Promise<WebhookEndpointDto[]> {
  assertCan(ctx, 'settings.manage');
  return withOrgRead(ctx.org.id, async (db) => {
    const rows = await db
      .select(columns)
      .from(webhookEndpoints)
      .where(eq(webhookEndpoints.orgId, ctx.org.id))
      .orderBy(asc(webhookEndpoints.createdAt), asc(webhookEndpoints.id));
    return rows.map(toDto);
  });
}

/** One endpoint (another org's: NOT_FOUND). Tenant: ctx.org. Permission: `settings.manage`. */
export async function getWebhookEndpoint(
  ctx: OrgContext,
  endpointId: string,
): Promise<WebhookEndpointDto> {
  assertCan(ctx, 'settings.manage');
  return withOrgRead(ctx.org.id, async (db) => {
    const [row] = await db
      .select(columns)
      .from(webhookEndpoints)
      .where(and(eq(webhookEndpoints.orgId, ctx.org.id), eq(webhookEndpoints.id, endpointId)));
    if (!row) throw notFoundError();
    return toDto(row);
  });
}

/**
 * Registers an endpoint (its URL already passed `checkWebhookUrl`) with a new signing secret,
 * returned here and never again. At most MAX_WEBHOOK_ENDPOINTS per organization. Audited
 * without the secret. Tenant: ctx.org. Permission: `settings.manage`.
 */
export async function createWebhookEndpoint(
  ctx: OrgContext,
  tx: Tx,
  input: CreateWebhookEndpointInput,
): Promise<{ endpoint: WebhookEndpointDto; secret: string }> {
  assertCan(ctx, 'settings.manage');
  const orgId = ctx.org.id;
  const [existing] = await tx
    .select({ n: count() })
    .from(webhookEndpoints)
    .where(eq(webhookEndpoints.orgId, orgId));
  if ((existing?.n ?? 0) >= MAX_WEBHOOK_ENDPOINTS) {
    throw validationError(
      `An organization has at most ${MAX_WEBHOOK_ENDPOINTS} webhook endpoints: delete one first.`,
    );
  }
  const secret = generateWebhookSecret();
  const [row] = await tx
    .insert(webhookEndpoints)
    .values({
      orgId,
      url: input.url,
      description: input.description,
      events: input.events,
      secretSealed: sealSecret(secret, secretKeyFor('integrations')),
      createdByUserId: ctx.actor.userId,
    })
    .returning(columns);
  const endpoint = toDto(row!);
  await appendAudit(tx, {
    orgId,
    actorUserId: ctx.actor.userId,
    action: 'webhook.create',
    entityType: 'webhook_endpoint',
    entityId: endpoint.id,
    before: null,
    after: { url: endpoint.url, description: endpoint.description, events: endpoint.events },
  });
  return { endpoint, secret };
}

/**
 * Changes an endpoint's URL (checked by the caller with `checkWebhookUrl`), description, events
 * or whether it is on; turning it on clears its failure record. Audited. Tenant: ctx.org.
 * Permission: `settings.manage`; another org's endpoint is NOT_FOUND.
 */
export async function updateWebhookEndpoint(
  ctx: OrgContext,
  tx: Tx,
  input: UpdateWebhookEndpointInput,
): Promise<WebhookEndpointDto> {
  assertCan(ctx, 'settings.manage');
  const orgId = ctx.org.id;
  const where = and(eq(webhookEndpoints.orgId, orgId), eq(webhookEndpoints.id, input.endpointId));
  const [before] = await tx.select(columns).from(webhookEndpoints).where(where).for('update');
  if (!before) throw notFoundError();
  const { endpointId: _id, ...patch } = input;
  const turnedOn = patch.enabled === true && !before.enabled;
  const [row] = await tx
    .update(webhookEndpoints)
    .set({
      ...patch,
      ...(patch.enabled !== undefined ? { disabledReason: null } : {}),
      ...(turnedOn ? { failingSince: null } : {}),
      updatedAt: new Date(),
    })
    .where(where)
    .returning(columns);
  const after = toDto(row!);
  await appendAudit(tx, {
    orgId,
    actorUserId: ctx.actor.userId,
    action: 'webhook.update',
    entityType: 'webhook_endpoint',
    entityId: after.id,
    before: { url: before.url, events: before.events, enabled: before.enabled },
    after: { url: after.url, events: after.events, enabled: after.enabled },
  });
  return after;
}

/**
 * Deletes an endpoint with its deliveries and their log. Audited. Tenant: ctx.org. Permission:
 * `settings.manage`; another org's endpoint is NOT_FOUND.
 */
export async function deleteWebhookEndpoint(
  ctx: OrgContext,
  tx: Tx,
  input: DeleteWebhookEndpointInput,
): Promise<{ id: string }> {
  assertCan(ctx, 'settings.manage');
  const orgId = ctx.org.id;
  const [row] = await tx
    .delete(webhookEndpoints)
    .where(and(eq(webhookEndpoints.orgId, orgId), eq(webhookEndpoints.id, input.endpointId)))
    .returning({ id: webhookEndpoints.id, url: webhookEndpoints.url });
  if (!row) throw notFoundError();
  await appendAudit(tx, {
    orgId,
    actorUserId: ctx.actor.userId,
    action: 'webhook.delete',
    entityType: 'webhook_endpoint',
    entityId: row.id,
    before: { url: row.url },
    after: null,
  });
  return { id: row.id };
}
