import { decode, encode } from 'next-auth/jwt';
import { describe, expect, it } from 'vitest';
import { decodeSessionJwt, encodeSessionJwt, sessionClaimsOf } from './jwt-codec';

const secret = 'a-test-secret-of-enough-length-0123456789';
const claims = { uid: '11111111-2222-3333-4444-555555555555', sv: 3, sid: 'x' };

describe('session JWT codec (cached HKDF key)', () => {
  it("reads next-auth's own tokens, and next-auth reads ours", async () => {
    const theirs = await encode({ token: claims, secret, maxAge: 60 });
    expect(await decodeSessionJwt({ token: theirs, secret })).toMatchObject(claims);
    const ours = await encodeSessionJwt({ token: claims, secret, maxAge: 60 });
    expect(await decode({ token: ours, secret })).toMatchObject(claims);
    // Twice: the second read uses the cached key.
    expect(await decodeSessionJwt({ token: ours, secret })).toMatchObject(claims);
  });

  it('keys differ by secret and by salt', async () => {
    const token = await encodeSessionJwt({ token: claims, secret, maxAge: 60 });
    await expect(decodeSessionJwt({ token, secret: `${secret}-other` })).rejects.toThrow();
    await expect(decodeSessionJwt({ token, secret, salt: 'other' })).rejects.toThrow();
    const salted = await encodeSessionJwt({ token: claims, secret, salt: 's', maxAge: 60 });
    expect(await decode({ token: salted, secret, salt: 's' })).toMatchObject(claims);
    await expect(decodeSessionJwt({ token: salted, secret })).rejects.toThrow();
  });

  it('refuses an expired or tampered token, and reads no token as none', async () => {
    const expired = await encodeSessionJwt({ token: claims, secret, maxAge: -60 });
    await expect(decodeSessionJwt({ token: expired, secret })).rejects.toThrow();
    const token = await encodeSessionJwt({ token: claims, secret, maxAge: 60 });
    const parts = token.split('.');
    parts[3] = `${parts[3]!.slice(0, -2)}${parts[3]!.endsWith('AA') ? 'BB' : 'AA'}`;
    await expect(decodeSessionJwt({ token: parts.join('.'), secret })).rejects.toThrow();
    expect(await decodeSessionJwt({ token: undefined, secret })).toBeNull();
  });
});

describe('sessionClaimsOf', () => {
  const uid = '11111111-2222-3333-4444-555555555555';
  const sid = '66666666-7777-8888-9999-aaaaaaaaaaaa';
  it('reads who, which session version and which session row from a decoded token', async () => {
    const token = await encodeSessionJwt({
      token: { uid, sv: 4, sid, name: 'A' },
      secret,
      maxAge: 60,
    });
    const decoded = await decodeSessionJwt({ token, secret });
    expect(sessionClaimsOf(decoded!)).toEqual({ userId: uid, sessionVersion: 4, sessionId: sid });
  });

  it('is null for a token without a session id, with a malformed one, or with a text version', () => {
    expect(sessionClaimsOf({ uid, sv: 1 })).toBeNull();
    expect(sessionClaimsOf({ uid, sv: 1, sid: 'x' })).toBeNull();
    expect(sessionClaimsOf({ uid, sv: 1, sid: `${sid}-` })).toBeNull();
    expect(
      sessionClaimsOf({ uid: '--------------------------------------', sv: 1, sid }),
    ).toBeNull();
    expect(sessionClaimsOf({ uid, sv: '1', sid })).toBeNull();
  });
});
