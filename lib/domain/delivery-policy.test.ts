import { describe, expect, it } from 'vitest';
import { afterFailure, MAX_DELIVERY_ATTEMPTS, retryDelayMs } from './delivery-policy';

describe('delivery policy', () => {
  it('backs off 1, 4, 16, 64 minutes', () => {
    expect([1, 2, 3, 4].map((a) => retryDelayMs(a) / 60_000)).toEqual([1, 4, 16, 64]);
  });

  it('gives up after the last attempt', () => {
    const now = new Date('2026-12-02T09:00:00Z');
    expect(afterFailure(1, now)).toEqual({
      status: 'retrying',
      nextAttemptAt: new Date('2026-12-02T09:01:00Z'),
    });
    expect(afterFailure(MAX_DELIVERY_ATTEMPTS - 1, now).status).toBe('retrying');
    expect(afterFailure(MAX_DELIVERY_ATTEMPTS, now)).toEqual({ status: 'failed' });
  });
});
