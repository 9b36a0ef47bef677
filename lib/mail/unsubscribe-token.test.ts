import { describe, expect, it } from 'vitest';
import { signUnsubscribeToken, verifyUnsubscribeToken } from './unsubscribe-token';

const secret = 'a-test-secret-of-at-least-32-characters!!';
const claims = {
  orgId: '8f1c2b7e-4a7d-4f5e-9a51-0c1d2e3f4a5b',
  userId: '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d',
  kind: 'checkin_reminder',
};

describe('unsubscribe tokens', () => {
  it('round-trips', () => {
    expect(verifyUnsubscribeToken(signUnsubscribeToken(claims, secret), secret)).toEqual(claims);
  });

  it('refuses another secret, an altered payload or MAC, and junk', () => {
    const token = signUnsubscribeToken(claims, secret);
    expect(verifyUnsubscribeToken(token, `${secret}x`)).toBeNull();
    const [payload, mac] = token.split('.') as [string, string];
    const other = Buffer.from(
      JSON.stringify({ o: claims.orgId, u: claims.orgId, k: claims.kind }),
    ).toString('base64url');
    expect(verifyUnsubscribeToken(`${other}.${mac}`, secret)).toBeNull();
    expect(verifyUnsubscribeToken(`${payload}.${mac.slice(0, -2)}AA`, secret)).toBeNull();
    expect(verifyUnsubscribeToken(`${token}.x`, secret)).toBeNull();
    expect(verifyUnsubscribeToken('', secret)).toBeNull();
    expect(verifyUnsubscribeToken('abc', secret)).toBeNull();
  });
});
