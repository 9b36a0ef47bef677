import { and, eq, sql } from 'drizzle-orm';
import { withOrgTx, type Tx } from '@/db/client';
import { apiIdempotency } from '@/db/schema';
import { conflictError } from '@/lib/errors';
import type { ApiRequestContext } from './authenticate';

/* At-most-once writes of the public API, keyed by the client's Idempotency-Key. */

/** Idempotency records are kept this long (a client retrying later than that writes again). */
export const IDEMPOTENCY_RETENTION = '24 hours';

/** A response as an idempotent write stores and replays it. */
export type StoredResponse = { status: number; body: unknown };

/**
 * Runs a write at most once per (key, `idempotencyKey`), in one tenant transaction with it: the
 * first request inserts the record and runs `fn`; a concurrent twin blocks on the record's primary
 * key until the first commits, then gets the stored response (`replayed`). The same key with
 * another request (`requestHash`) is a CONFLICT. When `fn` throws, everything rolls back, the
 * record too, so a corrected retry may reuse the key. Without a key, `fn` just runs. The
 * transaction carries the key's name (`app.api_key_name`), so every audit record it writes names
 * the key as the actor (audit_log.actor_api_key).
 */
export async function runIdempotent(
  api: ApiRequestContext,
  idempotencyKey: string | null,
  requestHash: string,
  fn: (tx: Tx) => Promise<StoredResponse>,
): Promise<StoredResponse & { replayed: boolean }> {
  const orgId = api.ctx.org.id;
  return withOrgTx(orgId, async (tx) => {
    await tx.execute(sql`select set_config('app.api_key_name', ${api.key.name}, true)`);
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
