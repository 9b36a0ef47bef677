import { describe, expect, it } from 'vitest';
import {
  afterWebhookFailure,
  MAX_WEBHOOK_ATTEMPTS,
  shouldDisableEndpoint,
  webhookRetryDelayMs,
} from './webhook-policy';

describe('webhook retry policy', () => {
  it('backs off exponentially from 30 seconds, at most 10 hours', () => {
    const minutes = [1, 2, 3, 4, 5, 6, 7].map((n) => webhookRetryDelayMs(n) / 60_000);
    expect(minutes).toEqual([0.5, 2, 8, 32, 128, 512, 600]);
  });

  it('retries until the last attempt, then fails; the attempts span more than a day', () => {
    const now = new Date('2026-12-05T10:00:00Z');
    expect(afterWebhookFailure(1, now)).toEqual({
      status: 'retrying',
      nextAttemptAt: new Date('2026-12-05T10:00:30Z'),
    });
    expect(afterWebhookFailure(MAX_WEBHOOK_ATTEMPTS, now)).toEqual({ status: 'failed' });
    let total = 0;
    for (let n = 1; n < MAX_WEBHOOK_ATTEMPTS; n += 1) total += webhookRetryDelayMs(n);
    expect(total).toBeGreaterThan(24 * 60 * 60_000);
  });

  it('disables an endpoint after a whole day of failures, not before', () => {
    const since = new Date('2026-12-05T10:00:00Z');
    expect(shouldDisableEndpoint(null, new Date('2027-01-01T00:00:00Z'))).toBe(false);
    expect(shouldDisableEndpoint(since, new Date('2026-12-06T09:59:59Z'))).toBe(false);
    expect(shouldDisableEndpoint(since, new Date('2026-12-06T10:00:00Z'))).toBe(true);
  });
});
