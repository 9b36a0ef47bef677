import { and, eq, isNull, sql } from 'drizzle-orm';
import { getDb } from '@/db/client';
import { authTokens, userSessions, users } from '@/db/schema';
import { hashPassword, passwordProblem } from '@/lib/auth/password';
import { AppError, validationError } from '@/lib/errors';
import {
  hashInvitationToken as hashToken,
  newInvitationToken as newToken,
} from './people/invitations';

/*
 * Single-use links sent by e-mail (auth_tokens, global table): password reset and address
 * verification. Only the sha256 of each token is stored; a link works once.
 */

/** A reset link works this long. */
export const RESET_LINK_MINUTES = 30;
/** A verification link works this long. */
export const VERIFY_LINK_HOURS = 72;

export const INVALID_RESET_LINK =
  'This reset link is not valid any more (it was used, it expired, or the password changed since). Ask for a new one.';
export const INVALID_VERIFY_LINK =
  'This confirmation link is not valid any more. Send yourself a new one from the banner.';

type Person = { id: string; email: string; name: string };

/**
 * A reset link for the account with this email, or null when there is none (the caller answers
 * alike either way). Earlier unused reset links of the account stop working: only the newest does.
 */
export async function createPasswordResetLink(
  email: string,
): Promise<{ token: string; person: Person } | null> {
  const db = await getDb();
  return db.transaction(async (tx) => {
    const [person] = await tx
      .select({
        id: users.id,
        email: users.email,
        name: users.name,
        sessionVersion: users.sessionVersion,
      })
      .from(users)
      .where(eq(users.email, email))
      .limit(1)
      .for('update');
    if (!person) return null;
    await tx
      .update(authTokens)
      .set({ usedAt: sql`now()` })
      .where(
        and(
          eq(authTokens.userId, person.id),
          eq(authTokens.purpose, 'reset'),
          isNull(authTokens.usedAt),
        ),
      );
    const { token, tokenHash } = newToken();
    await tx.insert(authTokens).values({
      userId: person.id,
      purpose: 'reset',
      tokenHash,
      email: person.email,
      sessionVersion: person.sessionVersion,
      expiresAt: sql`now() + make_interval(mins => ${RESET_LINK_MINUTES})`,
    });
    return { token, person: { id: person.id, email: person.email, name: person.name } };
  });
}

function tokenCondition(token: string, purpose: 'reset' | 'verify') {
  return and(
    eq(authTokens.tokenHash, hashToken(token)),
    eq(authTokens.purpose, purpose),
    isNull(authTokens.usedAt),
    sql`${authTokens.expiresAt} > now()`,
  );
}

/** Whether a reset link still works (for the page, before the person types a password). */
export async function isPasswordResetLinkValid(token: string): Promise<boolean> {
  if (token.length > 100) return false;
  const db = await getDb();
  const [row] = await db
    .select({ id: authTokens.id })
    .from(authTokens)
    .innerJoin(
      users,
      and(eq(users.id, authTokens.userId), eq(users.sessionVersion, authTokens.sessionVersion)),
    )
    .where(tokenCondition(token, 'reset'))
    .limit(1);
  return Boolean(row);
}

/**
 * Sets a new password through a reset link: the link must be unused, unexpired and issued since
 * the last password change. The password follows the usual rules. Every session of the person
 * ends (the session version moves on, which also kills any other reset link), and the address
 * counts as verified (the link reached its mailbox). Returns the person's email for sign-in.
 */
export async function resetPasswordWithLink(
  token: string,
  newPassword: string,
): Promise<{ email: string }> {
  const db = await getDb();
  const invalid = () => new AppError('VALIDATION', INVALID_RESET_LINK);
  if (token.length > 100) throw invalid();
  // Hash before the transaction: scrypt is slow and must not hold row locks.
  const [peek] = await db
    .select({ email: users.email })
    .from(authTokens)
    .innerJoin(users, eq(users.id, authTokens.userId))
    .where(tokenCondition(token, 'reset'))
    .limit(1);
  if (!peek) throw invalid();
  const problem = passwordProblem(newPassword, { email: peek.email });
  if (problem) throw validationError(problem, { password: [problem] });
  const passwordHash = await hashPassword(newPassword);
  return db.transaction(async (tx) => {
    const [link] = await tx
      .update(authTokens)
      .set({ usedAt: sql`now()` })
      .where(tokenCondition(token, 'reset'))
      .returning({ userId: authTokens.userId, sessionVersion: authTokens.sessionVersion });
    if (!link) throw invalid();
    const [person] = await tx
      .update(users)
      .set({
        passwordHash,
        sessionVersion: sql`${users.sessionVersion} + 1`,
        emailVerifiedAt: sql`coalesce(${users.emailVerifiedAt}, now())`,
        updatedAt: sql`now()`,
      })
      .where(and(eq(users.id, link.userId), eq(users.sessionVersion, link.sessionVersion)))
      .returning({ email: users.email });
    if (!person) throw invalid(); // the password changed after the link was sent
    await tx
      .update(userSessions)
      .set({ revokedAt: sql`now()` })
      .where(and(eq(userSessions.userId, link.userId), isNull(userSessions.revokedAt)));
    return { email: person.email };
  });
}

/** A verification link for a person whose address is not verified yet; null once it is. */
export async function createEmailVerificationLink(
  userId: string,
): Promise<{ token: string; person: Person } | null> {
  const db = await getDb();
  const [person] = await db
    .select({
      id: users.id,
      email: users.email,
      name: users.name,
      sessionVersion: users.sessionVersion,
    })
    .from(users)
    .where(and(eq(users.id, userId), isNull(users.emailVerifiedAt)))
    .limit(1);
  if (!person) return null;
  const { token, tokenHash } = newToken();
  await db.insert(authTokens).values({
    userId: person.id,
    purpose: 'verify',
    tokenHash,
    email: person.email,
    sessionVersion: person.sessionVersion,
    expiresAt: sql`now() + make_interval(hours => ${VERIFY_LINK_HOURS})`,
  });
  return { token, person: { id: person.id, email: person.email, name: person.name } };
}

/**
 * Marks the address a verification link was sent to as verified (once; the link must be unused
 * and unexpired, and the account must still have that address). Returns the address.
 */
export async function verifyEmailWithLink(token: string): Promise<{ email: string }> {
  if (token.length > 100) throw new AppError('VALIDATION', INVALID_VERIFY_LINK);
  const db = await getDb();
  return db.transaction(async (tx) => {
    const [link] = await tx
      .update(authTokens)
      .set({ usedAt: sql`now()` })
      .where(tokenCondition(token, 'verify'))
      .returning({ userId: authTokens.userId, email: authTokens.email });
    if (!link) throw new AppError('VALIDATION', INVALID_VERIFY_LINK);
    const [person] = await tx
      .update(users)
      .set({ emailVerifiedAt: sql`coalesce(${users.emailVerifiedAt}, now())` })
      .where(and(eq(users.id, link.userId), eq(users.email, link.email)))
      .returning({ email: users.email });
    if (!person) throw new AppError('VALIDATION', INVALID_VERIFY_LINK);
    return { email: person.email };
  });
}
