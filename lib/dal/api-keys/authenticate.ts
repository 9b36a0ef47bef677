import { randomUUID } from 'node:crypto';
import { and, eq, sql } from 'drizzle-orm';
import { withOrgTx, withTokenOrgTx } from '@/db/client';
import { apiKeys, organizations, users } from '@/db/schema';
import { can } from '@/lib/authz/can';
import type { OrgContext } from '@/lib/server/org-context';
import { getMembershipBySlug } from '../memberships';
import { hashApiKey, SECRET_PREFIX, type ApiKeyScope } from './keys';

/* Who a public API request is: the key's secret resolved to its creator's org context. */

/** What an authenticated API request knows: the org context of the key's creator, and the key. */
export type ApiRequestContext = {
  ctx: OrgContext;
  key: { id: string; name: string; scope: ApiKeyScope };
};

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
        name: apiKeys.name,
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
    key: { id: row.id, name: row.name, scope: row.scope },
  };
}
