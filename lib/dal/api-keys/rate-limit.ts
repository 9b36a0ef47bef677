import { and, eq, sql } from 'drizzle-orm';
import { withOrgRead } from '@/db/client';
import { apiIdempotency, apiRateWindows } from '@/db/schema';
import { RateLimitedError } from '../rate-limit';
import { IDEMPOTENCY_RETENTION } from './idempotency';

/* The public API's per-key request budget, kept in Postgres (a tenant table under RLS). */

export { RateLimitedError };

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
      throw new RateLimitedError(
        Math.max(1, Number(row.retryAfter)),
        `Too many requests for this key: retry in ${Math.max(1, Number(row.retryAfter))} s.`,
      );
    }
  });
}
