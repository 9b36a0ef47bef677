import { AsyncLocalStorage } from 'node:async_hooks';
import { cache } from 'react';

/**
 * What the session cookie proves: who signed in, with which session version, and which session
 * row (user_sessions) it is. `sessionId` is undefined only for callers without a browser session
 * (API keys acting as their creator, tests).
 */
export type SessionClaims = { userId: string; sessionVersion: number; sessionId?: string };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

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
  const [{ getServerSession }, { serverReadAuthOptions }] = await Promise.all([
    import('next-auth'),
    import('./options'),
  ]);
  // Its callers check the session row themselves (getActiveUser, the membership read).
  const session = await getServerSession(serverReadAuthOptions);
  const user = session?.user as { id?: unknown; sv?: unknown; sid?: unknown } | undefined;
  if (typeof user?.id !== 'string' || typeof user.sv !== 'number') return null;
  // A cookie from before sessions had ids (or a malformed one) is no session at all.
  if (typeof user.sid !== 'string' || !UUID.test(user.sid)) return null;
  return { userId: user.id, sessionVersion: user.sv, sessionId: user.sid };
}
