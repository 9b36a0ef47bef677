import { describe, expect, it } from 'vitest';
import { sessionCookieName } from './cookies';
import { encodeSessionJwt } from './jwt-codec';
import { getAuthSecret } from './secret';
import { sessionClaimsFromCookies } from './session';

const name = sessionCookieName();
const uid = '11111111-2222-3333-4444-555555555555';
const sid = '66666666-7777-8888-9999-aaaaaaaaaaaa';
const jar = (cookies: { name: string; value: string }[]) => ({ getAll: () => cookies });
const token = (maxAge = 60) =>
  encodeSessionJwt({ token: { uid, sv: 2, sid }, secret: getAuthSecret(), maxAge });
const claims = { userId: uid, sessionVersion: 2, sessionId: sid };

describe('sessionClaimsFromCookies', () => {
  it('reads the session cookie, ignoring others', async () => {
    const value = await token();
    expect(
      await sessionClaimsFromCookies(
        jar([
          { name: 'other', value: 'x' },
          { name, value },
        ]),
      ),
    ).toEqual(claims);
  });

  it('joins next-auth’s chunks in numeric order (10 after 2)', async () => {
    const value = await token();
    const size = Math.ceil(value.length / 11);
    const chunks = Array.from({ length: 11 }, (_, i) => ({
      name: `${name}.${i}`,
      value: value.slice(i * size, (i + 1) * size),
    }));
    const shuffled = [chunks[10]!, chunks[2]!, ...chunks.slice(3, 10), chunks[0]!, chunks[1]!];
    expect(await sessionClaimsFromCookies(jar(shuffled))).toEqual(claims);
  });

  it('is null with no session cookie, an expired one or a tampered one', async () => {
    expect(await sessionClaimsFromCookies(jar([]))).toBeNull();
    expect(await sessionClaimsFromCookies(jar([{ name, value: await token(-60) }]))).toBeNull();
    const value = await token();
    const tampered = `${value.slice(0, -4)}${value.endsWith('AAAA') ? 'BBBB' : 'AAAA'}`;
    expect(await sessionClaimsFromCookies(jar([{ name, value: tampered }]))).toBeNull();
  });
});
