import { createHash, randomBytes } from 'node:crypto';
import { and, desc, eq, isNull, sql } from 'drizzle-orm';
import { withOrgRead, type Tx } from '@/db/client';
import { apiKeys, users } from '@/db/schema';
import { assertCan } from '@/lib/authz/can';
import { notFoundError } from '@/lib/errors';
import type { OrgContext } from '@/lib/server/org-context';
import { appendAudit } from '../audit';

/* API keys as admins manage them: creating (the secret shown once), revoking and listing. */

export type { ApiKeyScope } from '@/lib/validation/api-keys';
import type { ApiKeyScope } from '@/lib/validation/api-keys';

/** An API key as the settings page lists it (never the secret). */
export type ApiKeyDto = {
  id: string;
  name: string;
  scope: ApiKeyScope;
  prefix: string;
  createdAt: string;
  createdByName: string | null;
  lastUsedAt: string | null;
  revokedAt: string | null;
};

/** Secrets look like `kpik_<43 base64url chars>`; the prefix shown is its first 12 characters. */
export const SECRET_PREFIX = 'kpik_';
const SHOWN_PREFIX_LENGTH = 12;

/** The stored form of a secret: lookups hash the presented secret and compare hashes. */
export function hashApiKey(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

function toDto(row: {
  id: string;
  name: string;
  scope: ApiKeyScope;
  prefix: string;
  createdAt: Date;
  createdByName: string | null;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
}): ApiKeyDto {
  return {
    ...row,
    createdAt: row.createdAt.toISOString(),
    lastUsedAt: row.lastUsedAt?.toISOString() ?? null,
    revokedAt: row.revokedAt?.toISOString() ?? null,
  };
}

/**
 * Creates a key acting as the current admin; returns the secret once (only its sha256 is kept).
 * Tenant: ctx.org. Permission: `apikeys.manage`.
 */
export async function createApiKey(
  ctx: OrgContext,
  tx: Tx,
  input: { name: string; scope: ApiKeyScope },
): Promise<{ key: ApiKeyDto; secret: string }> {
  assertCan(ctx, 'apikeys.manage');
  const secret = `${SECRET_PREFIX}${randomBytes(32).toString('base64url')}`;
  const [row] = await tx
    .insert(apiKeys)
    .values({
      orgId: ctx.org.id,
      name: input.name,
      scope: input.scope,
      prefix: secret.slice(0, SHOWN_PREFIX_LENGTH),
      tokenHash: hashApiKey(secret),
      createdByUserId: ctx.actor.userId,
    })
    .returning();
  if (!row) throw new Error('api key insert returned nothing');
  const key = toDto({ ...row, createdByName: ctx.user.name });
  await appendAudit(tx, {
    orgId: ctx.org.id,
    actorUserId: ctx.actor.userId,
    action: 'apikey.create',
    entityType: 'api_key',
    entityId: row.id,
    after: key,
  });
  return { key, secret };
}

/** Revokes a key at once (its next request is refused). Tenant: ctx.org. Permission: `apikeys.manage`. */
export async function revokeApiKey(
  ctx: OrgContext,
  tx: Tx,
  input: { apiKeyId: string },
): Promise<{ id: string }> {
  assertCan(ctx, 'apikeys.manage');
  const [row] = await tx
    .update(apiKeys)
    .set({ revokedAt: sql`now()` })
    .where(
      and(eq(apiKeys.orgId, ctx.org.id), eq(apiKeys.id, input.apiKeyId), isNull(apiKeys.revokedAt)),
    )
    .returning({ id: apiKeys.id, name: apiKeys.name });
  if (!row) throw notFoundError();
  await appendAudit(tx, {
    orgId: ctx.org.id,
    actorUserId: ctx.actor.userId,
    action: 'apikey.revoke',
    entityType: 'api_key',
    entityId: row.id,
    before: { name: row.name },
  });
  return { id: row.id };
}

/** Every key of the org, newest first. Tenant: ctx.org. Permission: `apikeys.manage`. */
export async function listApiKeys(ctx: OrgContext): Promise<ApiKeyDto[]> {
  assertCan(ctx, 'apikeys.manage');
  return withOrgRead(ctx.org.id, async (db) => {
    const rows = await db
      .select({
        id: apiKeys.id,
        name: apiKeys.name,
        scope: apiKeys.scope,
        prefix: apiKeys.prefix,
        createdAt: apiKeys.createdAt,
        createdByName: users.name,
        lastUsedAt: apiKeys.lastUsedAt,
        revokedAt: apiKeys.revokedAt,
      })
      .from(apiKeys)
      .leftJoin(users, eq(users.id, apiKeys.createdByUserId))
      .where(eq(apiKeys.orgId, ctx.org.id))
      .orderBy(desc(apiKeys.createdAt));
    return rows.map(toDto);
  });
}
