import { and, count, eq, isNull, lt, or, sql, type SQL } from 'drizzle-orm';
import { getDb, withUserRead } from '@/db/client';
import { memberships, userSessions } from '@/db/schema';
import { AppError } from '@/lib/errors';

/*
 * Browser sessions (user_sessions): the session JWT carries the row's id, and every request
 * checks the row is there, not revoked and not past its absolute lifetime (joined into the
 * membership read: one primary-key lookup, no extra round trip). Global table, no tenant data.
 */

/** A session ends this long after sign-in at the latest, however active it stays. */
export const SESSION_ABSOLUTE_LIFETIME_DAYS = 30;

/**
 * Records a new session for a person who just proved who they are; returns its id. A session
 * opened through an organization's single sign-on passes that organization (`ssoOrgId`): its
 * provider vouched for the person there only, so the session opens no other organization of the
 * account (getMembershipBySlug), which otherwise any admin who configures a provider could reach.
 */
export async function startSession(
  userId: string,
  scope: { ssoOrgId?: string } = {},
): Promise<string> {
  const db = await getDb();
  // Forget this person's sessions that ended more than a day ago (keeps the table small).
  await db
    .delete(userSessions)
    .where(
      and(
        eq(userSessions.userId, userId),
        or(
          lt(userSessions.expiresAt, sql`now()`),
          lt(userSessions.revokedAt, sql`now() - interval '1 day'`),
        ),
      ),
    );
  const [row] = await db
    .insert(userSessions)
    .values({
      userId,
      expiresAt: sql`now() + make_interval(days => ${SESSION_ABSOLUTE_LIFETIME_DAYS})`,
      ssoOrgId: scope.ssoOrgId ?? null,
    })
    .returning({ id: userSessions.id });
  if (!row) throw new Error('session insert returned nothing');
  return row.id;
}

/** Ends one session (sign-out). Unknown or already ended ids are fine. */
export async function endSession(sessionId: string): Promise<void> {
  if (!/^[0-9a-f-]{36}$/i.test(sessionId)) return;
  const db = await getDb();
  await db
    .update(userSessions)
    .set({ revokedAt: sql`now()` })
    .where(and(eq(userSessions.id, sessionId), isNull(userSessions.revokedAt)));
}

/** Ends every session of a person ("sign out everywhere", password change or reset). */
export async function endAllSessions(userId: string): Promise<void> {
  const db = await getDb();
  await db
    .update(userSessions)
    .set({ revokedAt: sql`now()` })
    .where(and(eq(userSessions.userId, userId), isNull(userSessions.revokedAt)));
}

/**
 * After a removal: a person who belongs to no organization any more is signed out everywhere
 * (their memberships are read under their own user scope, across organizations).
 */
export async function endSessionsIfNoOrganizations(userId: string): Promise<boolean> {
  const [row] = await withUserRead(userId, (tx) =>
    tx.select({ n: count() }).from(memberships).where(eq(memberships.userId, userId)),
  );
  if ((row?.n ?? 0) > 0) return false;
  await endAllSessions(userId);
  return true;
}

/**
 * SQL true when the session id names a live session of `users.id` in the query (browser
 * sessions); API keys and tests, which have no session row, pass undefined.
 */
export function activeSessionCondition(sessionId: string | undefined): SQL {
  if (sessionId === undefined) return sql`true`;
  return sql`exists (select 1 from user_sessions s where s.id = ${sessionId}::uuid
    and s.user_id = users.id and s.revoked_at is null and s.expires_at > now())`;
}

/**
 * SQL for a select list: the organization whose single sign-on opened the session, or null (a
 * password session, no session row: API keys and tests, or an unknown id).
 */
export function sessionSsoOrgIdColumn(sessionId: string | undefined): SQL<string | null> {
  if (sessionId === undefined) return sql<string | null>`null::uuid`;
  return sql<string | null>`(select s.sso_org_id from user_sessions s
    where s.id = ${sessionId}::uuid)`;
}

/**
 * The organization a browser session was opened through by single sign-on, or null (a password
 * session, no session row: API keys and tests, or an unknown id).
 */
export async function sessionSsoOrgId(sessionId: string | undefined): Promise<string | null> {
  if (sessionId === undefined) return null;
  const db = await getDb();
  const [row] = await db
    .select({ ssoOrgId: userSessions.ssoOrgId })
    .from(userSessions)
    .where(eq(userSessions.id, sessionId))
    .limit(1);
  return row?.ssoOrgId ?? null;
}

/**
 * Refuses an account-wide step (creating an organization, accepting an invitation to one) in a
 * session opened by an organization's single sign-on, which opens that organization only: what
 * the step leads to would be out of its reach. `doing` completes "… and sign in with your email and
 * password to …".
 */
export async function refuseInSsoSession(sessionId: string | undefined, doing: string): Promise<void> {
  if ((await sessionSsoOrgId(sessionId)) === null) return;
  throw new AppError(
    'FORBIDDEN',
    `You signed in through your organization’s single sign-on, which opens that organization only. Sign out and sign in with your email and password to ${doing}.`,
  );
}
