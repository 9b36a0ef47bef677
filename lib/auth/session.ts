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
  const { cookies } = await import('next/headers');
  return sessionClaimsFromCookies(await cookies());
}

/**
 * The claims of the session cookie among `cookies`, or null. next-auth's `getToken` (as the
 * proxy's withAuth reads it: the cookie whole or in next-auth's chunks, the same codec and expiry
 * check) rather than getServerSession, whose handler also makes and hashes a CSRF token, runs the
 * callbacks and re-encrypts the token for a cookie a server component cannot set. Its callers
 * check the session row themselves (getActiveUser, the membership read).
 */
export async function sessionClaimsFromCookies(cookies: {
  getAll: () => { name: string; value: string }[];
}): Promise<SessionClaims | null> {
  const { getToken } = await import('next-auth/jwt');
  const token = await getToken({
    // No headers: a Bearer token is for the API's keys, never a page's session.
    req: { cookies, headers: {} } as unknown as Parameters<typeof getToken>[0]['req'],
    cookieName: sessionCookieName(),
    secret: getAuthSecret(),
    decode: decodeSessionJwt,
    logger: { error: () => {}, warn: () => {}, debug: () => {} },
  });
  return token ? sessionClaimsOf(token) : null;
}
