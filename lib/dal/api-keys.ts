import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { and, desc, eq, isNull, sql } from 'drizzle-orm';
import { withOrgRead, withOrgTx, withTokenOrgTx, type Tx } from '@/db/client';
import { apiIdempotency, apiKeys, apiRateWindows, organizations, users } from '@/db/schema';
import { assertCan, can } from '@/lib/authz/can';
import { AppError, conflictError, notFoundError } from '@/lib/errors';
import type { OrgContext } from '@/lib/server/org-context';
import { appendAudit } from './audit';
import { getMembershipBySlug } from './memberships';

export type ApiKeyScope = 'read' | 'write';

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
const SECRET_PREFIX = 'kpik_';
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

/** What an authenticated API request knows: the org context of the key's creator, and the key. */
export type ApiRequestContext = { ctx: OrgContext; key: { id: string; scope: ApiKeyScope } };

/**
 * Resolves a presented secret: the key must exist, not be revoked, and its creator must still be
 * an owner or admin of the organization (a demoted or removed creator disables their keys at
 * once). Null otherwise: the caller answers every case with the same 401. Marks the key used
 * (at most once a minute, so reads do not write on every request).
 */
export async function authenticateApiKey(secret: string): Promise<ApiRequestContext | null> {
  if (!secret.startsWith(SECRET_PREFIX) || secret.length > 100) return null;
  const tokenHash = hashApiKey(secret);
  const [row] = await withTokenOrgTx('api_keys', tokenHash, (db) =>
    db
      .select({
        id: apiKeys.id,
        orgId: apiKeys.orgId,
        scope: apiKeys.scope,
        revokedAt: apiKeys.revokedAt,
        lastUsedAt: apiKeys.lastUsedAt,
        userId: apiKeys.createdByUserId,
        sessionVersion: users.sessionVersion,
        slug: organizations.slug,
      })
      .from(apiKeys)
      .innerJoin(users, eq(users.id, apiKeys.createdByUserId))
      .innerJoin(organizations, eq(organizations.id, apiKeys.orgId))
      .where(eq(apiKeys.tokenHash, tokenHash))
      .limit(1),
  );
  if (!row || row.revokedAt) return null;
  const found = await getMembershipBySlug(
    { userId: row.userId, sessionVersion: row.sessionVersion },
    row.slug,
  );
  if (!found || !can(found, 'apikeys.manage')) return null;
  if (!row.lastUsedAt || Date.now() - row.lastUsedAt.getTime() > 60_000) {
    await withOrgTx(row.orgId, (tx) =>
      tx
        .update(apiKeys)
        .set({ lastUsedAt: sql`now()` })
        .where(and(eq(apiKeys.orgId, row.orgId), eq(apiKeys.id, row.id))),
    );
  }
  // An owner or admin: the context lookup already holds all the scope they need.
  return {
    ctx: { ...found, requestId: randomUUID() },
    key: { id: row.id, scope: row.scope },
  };
}

/** Idempotency records are kept this long (a client retrying later than that writes again). */
const IDEMPOTENCY_RETENTION = '24 hours';

/**
 * Counts one request against the key's fixed one-minute window (in Postgres, so every app
 * instance shares it). Throws RATE_LIMITED with the seconds until the window ends. The first
 * request of a window also prunes the key's older windows and expired idempotency records, so
 * both tables stay small without a separate job.
 */
export async function consumeApiRateLimit(
  orgId: string,
  apiKeyId: string,
  perMinute: number,
): Promise<void> {
  return withOrgRead(orgId, async (db) => {
    const [row] = await db
      .insert(apiRateWindows)
      .values({ orgId, apiKeyId, windowStart: sql`date_trunc('minute', now())`, count: 1 })
      .onConflictDoUpdate({
        target: [apiRateWindows.orgId, apiRateWindows.apiKeyId, apiRateWindows.windowStart],
        set: { count: sql`${apiRateWindows.count} + 1` },
      })
      .returning({
        count: apiRateWindows.count,
        retryAfter: sql<number>`ceil(extract(epoch from (${apiRateWindows.windowStart} + interval '1 minute' - now())))::int`,
      });
    if (row?.count === 1) {
      await db
        .delete(apiRateWindows)
        .where(
          and(
            eq(apiRateWindows.orgId, orgId),
            eq(apiRateWindows.apiKeyId, apiKeyId),
            sql`${apiRateWindows.windowStart} < date_trunc('minute', now())`,
          ),
        );
      await db
        .delete(apiIdempotency)
        .where(
          and(
            eq(apiIdempotency.orgId, orgId),
            eq(apiIdempotency.apiKeyId, apiKeyId),
            sql`${apiIdempotency.createdAt} < now() - ${IDEMPOTENCY_RETENTION}::interval`,
          ),
        );
    }
    if (row && row.count > perMinute) {
      throw new RateLimitedError(Math.max(1, Number(row.retryAfter)));
    }
  });
}

/** RATE_LIMITED with the Retry-After the client should honour. */
export class RateLimitedError extends AppError {
  readonly retryAfterSeconds: number;
  constructor(retryAfterSeconds: number) {
    super('RATE_LIMITED', `Too many requests for this key: retry in ${retryAfterSeconds} s.`);
    this.retryAfterSeconds = retryAfterSeconds;
  }
}

/** A response as an idempotent write stores and replays it. */
export type StoredResponse = { status: number; body: unknown };

/**
 * Runs a write at most once per (key, `idempotencyKey`), in one tenant transaction with it: the
 * first request inserts the record and runs `fn`; a concurrent twin blocks on the record's primary
 * key until the first commits, then gets the stored response (`replayed`). The same key with
 * another request (`requestHash`) is a CONFLICT. When `fn` throws, everything rolls back, the
 * record too, so a corrected retry may reuse the key. Without a key, `fn` just runs.
 */
export async function runIdempotent(
  api: ApiRequestContext,
  idempotencyKey: string | null,
  requestHash: string,
  fn: (tx: Tx) => Promise<StoredResponse>,
): Promise<StoredResponse & { replayed: boolean }> {
  const orgId = api.ctx.org.id;
  return withOrgTx(orgId, async (tx) => {
    if (idempotencyKey === null) return { ...(await fn(tx)), replayed: false };
    const inserted = await tx
      .insert(apiIdempotency)
      .values({ orgId, apiKeyId: api.key.id, key: idempotencyKey, requestHash })
      .onConflictDoNothing()
      .returning({ key: apiIdempotency.key });
    if (inserted.length === 0) {
      const [stored] = await tx
        .select({
          requestHash: apiIdempotency.requestHash,
          status: apiIdempotency.status,
          response: apiIdempotency.response,
        })
        .from(apiIdempotency)
        .where(
          and(
            eq(apiIdempotency.orgId, orgId),
            eq(apiIdempotency.apiKeyId, api.key.id),
            eq(apiIdempotency.key, idempotencyKey),
          ),
        );
      if (!stored || stored.status === null)
        throw conflictError('A request with this Idempotency-Key is still running.');
      if (stored.requestHash !== requestHash) {
        throw conflictError('This Idempotency-Key was already used for a different request.');
      }
      return { status: stored.status, body: stored.response, replayed: true };
    }
    const result = await fn(tx);
    await tx
      .update(apiIdempotency)
      .set({ status: result.status, response: result.body as object })
      .where(
        and(
          eq(apiIdempotency.orgId, orgId),
          eq(apiIdempotency.apiKeyId, api.key.id),
          eq(apiIdempotency.key, idempotencyKey),
        ),
      );
    return { ...result, replayed: false };
  });
}
