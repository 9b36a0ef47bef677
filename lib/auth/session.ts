import { AsyncLocalStorage } from 'node:async_hooks';
import { cache } from 'react';
import { sessionCookieName } from './cookies';
import { decodeSessionJwt, sessionClaimsOf } from './jwt-codec';
import { getAuthSecret } from './secret';

/**
 * What the session cookie proves: who signed in, with which session version, and which session
 * row (user_sessions) it is. `sessionId` is undefined only for callers without a browser session
 * (API keys acting as their creator, tests).
 */
export type SessionClaims = { userId: string; sessionVersion: number; sessionId?: string };

const testSession = new AsyncLocalStorage<SessionClaims | null>();

/**
 * Test seam: integration tests run real server actions as a given person. Refused outside
 * NODE_ENV=test, so production always reads the signed session cookie.
 */
export function runWithSession<T>(claims: SessionClaims | null, fn: () => Promise<T>): Promise<T> {
  if (process.env.NODE_ENV !== 'test') throw new Error('runWithSession is for tests only');
  return testSession.run(claims, fn);
}

/** True inside runWithSession (no Next request: nothing to revalidate, no cookies to read). */
export function isTestSession(): boolean {
  return process.env.NODE_ENV === 'test' && testSession.getStore() !== undefined;
}

/**
 * The claims of the current request's session, or null when signed out (read once per request
 * where React's request cache applies: a page and its layout share one cookie decode).
 */
export const getSessionClaims = cache(readSessionClaims);

async function readSessionClaims(): Promise<SessionClaims | null> {
  if (isTestSession()) return testSession.getStore() ?? null;
  // The cookie decoded here, as next-auth's getServerSession would (same name, same codec, same
  // expiry check) but without its whole handler: a CSRF token made and hashed, the session
  // callback, and the token re-encrypted for a cookie that a server component cannot set anyway.
  // Its callers check the session row themselves (getActiveUser, the membership read).
  const { cookies } = await import('next/headers');
  const token = sessionCookieValue((await cookies()).getAll());
  if (!token) return null;
  const payload = await decodeSessionJwt({ token, secret: getAuthSecret() }).catch(() => null);
  return payload ? sessionClaimsOf(payload) : null;
}

/**
 * The session token from the request's cookies: next-auth writes it whole under its name, or,
 * when over a cookie's size, in chunks named `<name>.0`, `<name>.1`, ... (its SessionStore).
 */
export function sessionCookieValue(all: { name: string; value: string }[]): string | undefined {
  const name = sessionCookieName();
  const whole = all.find((c) => c.name === name);
  if (whole) return whole.value || undefined;
  const chunks = all
    .map((c) => ({
      index: c.name.startsWith(`${name}.`) ? c.name.slice(name.length + 1) : '',
      value: c.value,
    }))
    .filter((c) => /^\d+$/.test(c.index))
    .sort((a, b) => Number(a.index) - Number(b.index));
  return chunks.length ? chunks.map((c) => c.value).join('') : undefined;
}
