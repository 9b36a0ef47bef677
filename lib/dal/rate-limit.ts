import { sql, type SQL } from 'drizzle-orm';
import { execRows, getDb } from '@/db/client';
import { AppError } from '@/lib/errors';
import { arrayLiteral } from './cascade/sql-arrays';

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
 * The wait each failure count sets, from the first failure until the wait stops growing:
 * `schedule[n - 1]` is `backoffSeconds(n, rule)`, and any count past the end waits the last one.
 */
export function backoffSchedule(rule: BackoffRule): number[] {
  const schedule: number[] = [];
  for (let n = 1; ; n += 1) {
    const seconds = backoffSeconds(n, rule);
    schedule.push(seconds);
    if (seconds >= rule.maxSeconds || n > rule.free + 31) return schedule;
  }
}

/**
 * Starts an attempt against every key at once, pessimistically: each one's count goes up and its
 * wait is set as if the attempt will fail (so a burst of parallel guesses cannot all slip through
 * a free allowance). When any key is still waiting, nothing is counted and RateLimitedError says
 * for how long. A successful attempt then calls `settleBackoff`.
 *
 * Two statements, each its own transaction, so a key's row is locked for one statement only
 * (everyone behind one office address shares the address's row): the first makes sure every
 * key's row exists (it waits for a parallel attempt inserting the same row), so the second, with
 * a snapshot taken after it, sees every row; the second locks the rows in one order, reads their
 * waits and, only when none is waiting, counts the attempt on every key (a row deleted in between
 * by a success is inserted again). The schedule of waits travels as an array, so the rule stays
 * in `backoffSeconds`.
 */
export async function beginBackoffAttempt(keys: readonly BackoffKey[]): Promise<void> {
  if (keys.length === 0) return;
  const rows = sql.join(
    keys.map(
      ({ bucket, key, rule }) =>
        sql`(${bucket}::text, ${boundedKey(key)}::text, ${rule.forgetAfterSeconds}::int, ${arrayLiteral(backoffSchedule(rule))}::int[])`,
    ),
    sql`, `,
  );
  // The wait set by a run of `n` failures (the schedule's last entry past its end), as a time.
  const blockedAfter = (n: SQL, schedule: SQL) =>
    sql`case when ${schedule}[least(${n}, cardinality(${schedule}))] > 0
      then now() + make_interval(secs => ${schedule}[least(${n}, cardinality(${schedule}))]) end`;
  const running = sql`case when r.expires_at <= now() then 1 else r.count + 1 end`;
  const scheduleOf = sql`(select i.schedule from input i where i.bucket = r.bucket and i.key = r.key)`;
  const db = await getDb();
  await db.execute(
    sql`insert into rate_limits (bucket, key, count, window_start, expires_at)
      select i.bucket, i.key, 0, now(), now() + make_interval(secs => i.forget)
        from (values ${rows}) as i (bucket, key, forget, schedule)
        order by i.bucket, i.key
      on conflict (bucket, key) do nothing`,
  );
  const [row] = await execRows<{ wait: number }>(
    db,
    sql`with input (bucket, key, forget, schedule) as (values ${rows}),
      waits as (
        select case when r.expires_at > now() and r.blocked_until > now()
            then ceil(extract(epoch from (r.blocked_until - now())))::int else 0 end as wait
          from rate_limits r join input i on i.bucket = r.bucket and i.key = r.key
          order by r.bucket, r.key
          for update of r
      ),
      waiting as (select coalesce(max(wait), 0) as wait from waits),
      counted as (
        insert into rate_limits as r (bucket, key, count, window_start, expires_at, blocked_until)
        select i.bucket, i.key, 1, now(), now() + make_interval(secs => i.forget),
            ${blockedAfter(sql`1`, sql`i.schedule`)}
          from input i
          where (select wait from waiting) = 0
          order by i.bucket, i.key
        on conflict (bucket, key) do update set
          count = ${running},
          window_start = case when r.expires_at <= now() then now() else r.window_start end,
          expires_at = excluded.expires_at,
          blocked_until = ${blockedAfter(running, scheduleOf)}
        returning 1
      )
      select (select wait from waiting) as wait`,
  );
  const wait = Number(row?.wait ?? 0);
  if (wait > 0) {
    throw new RateLimitedError(
      wait,
      `Too many failed sign-ins from here. Try again in ${humanWait(wait)}.`,
    );
  }
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
