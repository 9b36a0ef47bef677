/**
 * Mail delivery policy (pure): how often a failed send is retried and how long a claimed
 * delivery may stay unsent before another worker takes it over.
 */

/** A send is tried at most this many times, then the delivery is `failed`. */
export const MAX_DELIVERY_ATTEMPTS = 5;

/** A claimed delivery not marked sent within this time is taken over (the worker died). */
export const DELIVERY_LEASE_MS = 5 * 60_000;

/** Delay before attempt `attempts + 1` after `attempts` failures: 1, 4, 16, 64 minutes. */
export function retryDelayMs(attempts: number): number {
  const minutes = 4 ** Math.max(0, attempts - 1);
  return Math.min(minutes, 24 * 60) * 60_000;
}

/** What a failed attempt leads to: another try later, or giving up. */
export function afterFailure(
  attempts: number,
  now: Date,
): { status: 'retrying'; nextAttemptAt: Date } | { status: 'failed' } {
  if (attempts >= MAX_DELIVERY_ATTEMPTS) return { status: 'failed' };
  return { status: 'retrying', nextAttemptAt: new Date(now.getTime() + retryDelayMs(attempts)) };
}
