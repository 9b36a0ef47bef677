import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { generateWebhookSecret, signWebhook, verifyWebhook, webhookHeaders } from './signing';

// The published Standard Webhooks test vector (standard-webhooks reference libraries, Svix docs).
const VECTOR = {
  secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
  id: 'msg_p5jXN8AQM9LWM0D4loKWxJek',
  timestamp: 1614265330,
  body: '{"test": 2432232314}',
  signature: 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=',
};

describe('Standard Webhooks signatures', () => {
  it('reproduces the published test vector exactly', () => {
    expect(signWebhook(VECTOR.secret, VECTOR.id, VECTOR.timestamp, VECTOR.body)).toBe(
      VECTOR.signature,
    );
  });

  it('keys the HMAC with the base64-decoded secret, not its text', () => {
    const key = Buffer.from(VECTOR.secret.slice('whsec_'.length), 'base64');
    const independent = createHmac('sha256', key)
      .update(`${VECTOR.id}.${VECTOR.timestamp}.${VECTOR.body}`)
      .digest('base64');
    expect(signWebhook(VECTOR.secret, VECTOR.id, VECTOR.timestamp, VECTOR.body)).toBe(
      `v1,${independent}`,
    );
    const wrong = createHmac('sha256', VECTOR.secret)
      .update(`${VECTOR.id}.${VECTOR.timestamp}.${VECTOR.body}`)
      .digest('base64');
    expect(signWebhook(VECTOR.secret, VECTOR.id, VECTOR.timestamp, VECTOR.body)).not.toBe(
      `v1,${wrong}`,
    );
  });

  it('gives the three headers with the timestamp in whole seconds', () => {
    const headers = webhookHeaders(VECTOR.secret, VECTOR.id, new Date(1614265330_999), VECTOR.body);
    expect(headers).toEqual({
      'webhook-id': VECTOR.id,
      'webhook-timestamp': '1614265330',
      'webhook-signature': VECTOR.signature,
    });
  });

  it('verifies the vector within the tolerance, and refuses tampering and stale messages', () => {
    const at = new Date(VECTOR.timestamp * 1000);
    const headers = {
      id: VECTOR.id,
      timestamp: String(VECTOR.timestamp),
      signature: VECTOR.signature,
    };
    expect(verifyWebhook(VECTOR.secret, headers, VECTOR.body, at)).toBe(true);
    // Several signatures (a secret rotation): any one matching is enough.
    expect(
      verifyWebhook(
        VECTOR.secret,
        { ...headers, signature: `v1,bm9wZQ== ${VECTOR.signature}` },
        VECTOR.body,
        at,
      ),
    ).toBe(true);
    expect(verifyWebhook(VECTOR.secret, headers, '{"test": 2432232315}', at)).toBe(false);
    expect(verifyWebhook(VECTOR.secret, { ...headers, id: 'msg_other' }, VECTOR.body, at)).toBe(
      false,
    );
    expect(
      verifyWebhook(VECTOR.secret, headers, VECTOR.body, new Date(at.getTime() + 6 * 60_000)),
    ).toBe(false);
    expect(verifyWebhook(generateWebhookSecret(), headers, VECTOR.body, at)).toBe(false);
  });

  it('makes secrets of 32 random bytes in the whsec_ form', () => {
    const a = generateWebhookSecret();
    const b = generateWebhookSecret();
    expect(a).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(Buffer.from(a.slice(6), 'base64')).toHaveLength(32);
    expect(a).not.toBe(b);
  });
});
