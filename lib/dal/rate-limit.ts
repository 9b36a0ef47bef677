import { sql } from 'drizzle-orm';
import { execRows, getDb } from '@/db/client';
import { AppError } from '@/lib/errors';

/*
 * Every rate limit and sign-in back-off, counted in Postgres (table rate_limits) so that several
 * app instances share the counts. One row per (bucket, key); keys are capped by the callers
 * (addresses are validated IPs, e-mails at most 254 characters) and again by a check constraint.
 * The public API's per-key minute windows stay in their own tenant table (api_rate_windows,
 * under row-level security); they raise the same RateLimitedError.
 */

/** RATE_LIMITED with the Retry-After the client should honour. */
export class RateLimitedError extends AppError {
  readonly retryAfterSeconds: number;
  constructor(retryAfterSeconds: number, message?: string) {
    super(
      'RATE_LIMITED',
      message ?? `Too many requests: try again in ${humanWait(retryAfterSeconds)}.`,
    );
    this.retryAfterSeconds = retryAfterSeconds;
  }
}

/** "45 seconds", "3 minutes", "1 hour": for messages people read. */
export function humanWait(seconds: number): string {
  if (seconds < 90) return `${seconds} second${seconds === 1 ? '' : 's'}`;
  const minutes = Math.ceil(seconds / 60);
  if (minutes < 90) return `${minutes} minutes`;
  const hours = Math.ceil(minutes / 60);
  return `${hours} hour${hours === 1 ? '' : 's'}`;
}

export type WindowLimit = { limit: number; windowSeconds: number };

const MAX_KEY_LENGTH = 400;

function boundedKey(key: string): string {
  return key.length > MAX_KEY_LENGTH ? key.slice(0, MAX_KEY_LENGTH) : key;
}

/** Now and then (about one call in 200) forget rows whose meaning has expired. */
async function maybePrune(): Promise<void> {
  if (Math.random() >= 0.005) return;
  const db = await getDb();
  await db.execute(sql`delete from rate_limits where expires_at < now() - interval '1 hour'`);
}

/**
 * Counts one event against `bucket`/`key` in a fixed window that starts at the key's first event
 * (and again at the first event after it ends). Throws RateLimitedError once the count passes
 * `limit`, with the seconds until the window ends; refused events count too, so hammering a
 * closed window does not open it sooner, but the window does not grow.
 */
export async function consumeRateLimit(
  bucket: string,
  key: string,
  rule: WindowLimit,
): Promise<void> {
  const db = await getDb();
  const [row] = await execRows<{ count: number; retry_after: number }>(
    db,
    sql`insert into rate_limits as r (bucket, key, count, window_start, expires_at)
      values (${bucket}, ${boundedKey(key)}, 1, now(), now() + make_interval(secs => ${rule.windowSeconds}))
      on conflict (bucket, key) do update set
        count = case when r.expires_at <= now() then 1 else r.count + 1 end,
        window_start = case when r.expires_at <= now() then now() else r.window_start end,
        expires_at = case when r.expires_at <= now()
          then now() + make_interval(secs => ${rule.windowSeconds}) else r.expires_at end
      returning r.count, ceil(extract(epoch from (r.expires_at - now())))::int as retry_after`,
  );
  await maybePrune();
  if (row && Number(row.count) > rule.limit) {
    throw new RateLimitedError(Math.max(1, Number(row.retry_after)));
  }
}

/**
 * Growing delays after repeated failures: the first `free` failures cost nothing; failure n past
 * them makes the next attempt wait `baseSeconds * 2^(n-1)`, at most `maxSeconds`. The run is
 * forgotten `forgetAfterSeconds` after its last failure.
 */
export type BackoffRule = {
  free: number;
  baseSeconds: number;
  maxSeconds: number;
  forgetAfterSeconds: number;
};

/** Seconds the n-th failure in a run makes the next attempt wait (0 while free). Pure. */
export function backoffSeconds(failures: number, rule: BackoffRule): number {
  const over = failures - rule.free;
  if (over <= 0) return 0;
  return Math.min(rule.maxSeconds, rule.baseSeconds * 2 ** Math.min(over - 1, 30));
}

export type BackoffKey = { bucket: string; key: string; rule: BackoffRule };

/**
 * Starts an attempt against every key at once, pessimistically: each one's count goes up and its
 * wait is set as if the attempt will fail (so a burst of parallel guesses cannot all slip through
 * a free allowance). When any key is still waiting, nothing is counted and RateLimitedError says
 * for how long. A successful attempt then calls `settleBackoff`.
 */
export async function beginBackoffAttempt(keys: readonly BackoffKey[]): Promise<void> {
  const db = await getDb();
  return db.transaction(async (tx) => {
    let wait = 0;
    const rows: { bucket: string; key: string }[] = [];
    for (const { bucket, key, rule } of keys) {
      // Make sure the row exists, then lock it: parallel attempts on one key queue up here.
      await tx.execute(
        sql`insert into rate_limits (bucket, key, count, window_start, expires_at)
          values (${bucket}, ${boundedKey(key)}, 0, now(), now() + make_interval(secs => ${rule.forgetAfterSeconds}))
          on conflict (bucket, key) do nothing`,
      );
      const [row] = await execRows<{ wait: number | null }>(
        tx,
        sql`select case when expires_at > now() and blocked_until > now()
              then ceil(extract(epoch from (blocked_until - now())))::int end as wait
          from rate_limits where bucket = ${bucket} and key = ${boundedKey(key)}
          for update`,
      );
      wait = Math.max(wait, Number(row?.wait ?? 0));
      rows.push({ bucket, key: boundedKey(key) });
    }
    if (wait > 0) {
      throw new RateLimitedError(
        wait,
        `Too many failed sign-ins from here. Try again in ${humanWait(wait)}.`,
      );
    }
    for (const [i, { bucket, key }] of rows.entries()) {
      const rule = keys[i]!.rule;
      const [row] = await execRows<{ count: number }>(
        tx,
        sql`update rate_limits set
            count = case when expires_at <= now() then 1 else count + 1 end,
            window_start = case when expires_at <= now() then now() else window_start end,
            expires_at = now() + make_interval(secs => ${rule.forgetAfterSeconds})
          where bucket = ${bucket} and key = ${key}
          returning count`,
      );
      const seconds = backoffSeconds(Number(row?.count ?? 0), rule);
      await tx.execute(
        sql`update rate_limits set blocked_until = ${
          seconds > 0 ? sql`now() + make_interval(secs => ${seconds})` : sql`null`
        } where bucket = ${bucket} and key = ${key}`,
      );
    }
  });
}

/**
 * After a successful attempt: `clear` keys forget their run entirely (the account from this
 * address); `undo` keys take back the pessimistic count and the wait it set (the address).
 */
export async function settleBackoff(
  clear: readonly BackoffKey[],
  undo: readonly BackoffKey[],
): Promise<void> {
  const db = await getDb();
  for (const { bucket, key } of clear) {
    await db.execute(
      sql`delete from rate_limits where bucket = ${bucket} and key = ${boundedKey(key)}`,
    );
  }
  for (const { bucket, key, rule } of undo) {
    await db.execute(
      sql`update rate_limits set count = greatest(count - 1, 0),
          blocked_until = case when count - 1 > ${rule.free} then blocked_until else null end
        where bucket = ${bucket} and key = ${boundedKey(key)}`,
    );
  }
}
