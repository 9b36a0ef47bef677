import { and, eq, lt, sql } from 'drizzle-orm';
import { getDb, withUserRead } from '@/db/client';
import { memberships, organizations, signInAttempts, users } from '@/db/schema';
import { getDummyHash, hashPassword, passwordProblem, verifyPassword } from '@/lib/auth/password';
import type { SessionClaims } from '@/lib/auth/session';
import { validationError } from '@/lib/errors';
import { addressKey } from '@/lib/security/client-address';
import { beginBackoffAttempt, settleBackoff, type BackoffRule } from './rate-limit';
import { insertOrganization } from './org-create';
import { activeSessionCondition, sessionSsoOrgId, sessionSsoOrgIdColumn } from './sessions';

export type SignedInUser = { id: string; email: string; name: string; sessionVersion: number };

/**
 * Creates a user, their organization, its company root unit and the owner membership in one
 * transaction: a failure at any step leaves nothing behind. Input must already be validated
 * (signUpSchema). A taken email is a VALIDATION error on the email field.
 */
export async function createAccountWithOrganization(input: {
  name: string;
  email: string;
  password: string;
  orgName: string;
}): Promise<{ user: SignedInUser; orgSlug: string }> {
  const passwordHash = await hashPassword(input.password);
  const db = await getDb();
  return db.transaction(async (tx) => {
    const [user] = await tx
      .insert(users)
      .values({ email: input.email, name: input.name, passwordHash })
      .onConflictDoNothing({ target: users.email })
      .returning({ id: users.id, sessionVersion: users.sessionVersion });
    if (!user) {
      throw validationError('An account with this email already exists.', {
        email: ['An account with this email already exists. Sign in, or reset your password if you forgot it.'],
      });
    }
    const org = await insertOrganization(tx, {
      ownerUserId: user.id,
      name: input.orgName,
      slug: { fromName: true },
    });
    return {
      user: { id: user.id, email: input.email, name: input.name, sessionVersion: user.sessionVersion },
      orgSlug: org.slug,
    };
  });
}

/** The account with this (normalized) email, for telling its owner about a sign-up attempt. */
export async function findAccountByEmail(email: string): Promise<{ email: string; name: string } | null> {
  const db = await getDb();
  const [row] = await db
    .select({ email: users.email, name: users.name })
    .from(users)
    .where(eq(users.email, email))
    .limit(1);
  return row ?? null;
}

/**
 * Sign-in throttling (README "Sessions and sign-in"): growing delays per (account, client
 * address) and per client address, never per account alone, so failures from elsewhere cannot
 * lock the real user out. Counted in Postgres (lib/dal/rate-limit.ts).
 */
export const SIGN_IN_PER_ACCOUNT_AND_ADDRESS: BackoffRule = {
  free: 5,
  baseSeconds: 30,
  maxSeconds: 15 * 60,
  forgetAfterSeconds: 60 * 60,
};
export const SIGN_IN_PER_ADDRESS: BackoffRule = {
  free: 20,
  baseSeconds: 30,
  maxSeconds: 60 * 60,
  forgetAfterSeconds: 60 * 60,
};

/**
 * The back-off keys of one sign-in step: the (account, address) run in `pairBucket` (passwords,
 * or second-factor codes) and the address's run, which both steps share.
 */
export function signInBackoffKeys(
  email: string,
  address: string,
  pairBucket: 'signin-account-address' | 'totp-account-address' = 'signin-account-address',
) {
  const where = addressKey(address);
  return {
    pair: { bucket: pairBucket, key: `${email} ${where}`, rule: SIGN_IN_PER_ACCOUNT_AND_ADDRESS },
    address: { bucket: 'signin-address', key: where, rule: SIGN_IN_PER_ADDRESS },
  };
}

/**
 * Checks a password from a client address (a validated IP from lib/server/client-address, or
 * 'unknown'). Too many recent failures of this account from this address, or from this address
 * at all, give RATE_LIMITED whatever the password; failures elsewhere never refuse it. Unknown
 * email and wrong password give the same null. Every attempt is kept in sign_in_attempts.
 */
export async function authenticate(
  email: string,
  password: string,
  address: string,
): Promise<SignedInUser | null> {
  const keys = signInBackoffKeys(email, address);
  await beginBackoffAttempt([keys.pair, keys.address]);
  const db = await getDb();
  const [user] = await db
    .select({
      id: users.id,
      email: users.email,
      name: users.name,
      passwordHash: users.passwordHash,
      sessionVersion: users.sessionVersion,
    })
    .from(users)
    .where(eq(users.email, email))
    .limit(1);
  const valid = await verifyPassword(password, user?.passwordHash ?? (await getDummyHash()));
  const succeeded = Boolean(user && valid);
  await db.insert(signInAttempts).values({ email, ip: address.slice(0, 64), succeeded });
  if (!user || !succeeded) return null;
  await settleBackoff([keys.pair], [keys.address]);
  await db
    .delete(signInAttempts)
    .where(and(eq(signInAttempts.email, email), lt(signInAttempts.createdAt, sql`now() - interval '1 day'`)));
  return { id: user.id, email: user.email, name: user.name, sessionVersion: user.sessionVersion };
}

/**
 * The signed-in person, if their session is still on: the session version is current (a password
 * change ends it) and the session row is not revoked (sign-out, sign out everywhere). With the
 * organization whose single sign-on opened the session (`ssoOrgId`, null for a password session),
 * read in the same query.
 */
export async function getActiveUser(claims: SessionClaims): Promise<{
  id: string;
  email: string;
  name: string;
  emailVerified: boolean;
  ssoOrgId: string | null;
} | null> {
  const db = await getDb();
  const [row] = await db
    .select({
      id: users.id,
      email: users.email,
      name: users.name,
      emailVerified: sql<boolean>`${users.emailVerifiedAt} is not null`,
      ssoOrgId: sessionSsoOrgIdColumn(claims.sessionId),
    })
    .from(users)
    .where(
      and(
        eq(users.id, claims.userId),
        eq(users.sessionVersion, claims.sessionVersion),
        activeSessionCondition(claims.sessionId),
      ),
    )
    .limit(1);
  return row ?? null;
}

/**
 * Changes a password after checking the current one, and bumps the session version so every
 * other session signs out. Returns the new version for the caller's own fresh session.
 */
export async function changePassword(
  userId: string,
  currentPassword: string,
  newPassword: string,
): Promise<number> {
  const db = await getDb();
  const [user] = await db
    .select({ email: users.email, passwordHash: users.passwordHash })
    .from(users)
    .where(eq(users.id, userId))
    .limit(1);
  if (!user || !(await verifyPassword(currentPassword, user.passwordHash))) {
    throw validationError('Your current password is not correct.', {
      currentPassword: ['Your current password is not correct.'],
    });
  }
  const problem = passwordProblem(newPassword, { email: user.email });
  if (problem) throw validationError(problem, { newPassword: [problem] });
  const [updated] = await db
    .update(users)
    .set({
      passwordHash: await hashPassword(newPassword),
      sessionVersion: sql`${users.sessionVersion} + 1`,
      updatedAt: sql`now()`,
    })
    .where(eq(users.id, userId))
    .returning({ sessionVersion: users.sessionVersion });
  if (!updated) throw new Error('user vanished during password change');
  return updated.sessionVersion;
}

/**
 * Where a person lands after sign-in: their last organization if still a member, else the first;
 * a session opened by an organization's single sign-on (`sessionId`) lands there, the only one it
 * opens.
 */
export async function getLandingOrgSlug(userId: string, sessionId?: string): Promise<string | null> {
  const ssoOrgId = await sessionSsoOrgId(sessionId);
  const [row] = await withUserRead(userId, (db) =>
    db
      .select({ slug: organizations.slug })
      .from(memberships)
      .innerJoin(organizations, eq(organizations.id, memberships.orgId))
      .innerJoin(users, eq(users.id, memberships.userId))
      .where(
        and(
          eq(memberships.userId, userId),
          ssoOrgId === null ? undefined : eq(memberships.orgId, ssoOrgId),
        ),
      )
      .orderBy(sql`(${memberships.orgId} = ${users.lastOrgId}) desc`, organizations.name)
      .limit(1),
  );
  return row?.slug ?? null;
}

/** Remembers the organization a person last opened (written only when it changes). */
export async function touchLastOrg(userId: string, orgId: string): Promise<void> {
  const db = await getDb();
  await db
    .update(users)
    .set({ lastOrgId: orgId })
    .where(and(eq(users.id, userId), sql`${users.lastOrgId} is distinct from ${orgId}`));
}
