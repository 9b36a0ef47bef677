import { and, eq, isNull, sql } from 'drizzle-orm';
import type { Tx } from '@/db/client';
import { authTokens, users, userSessions } from '@/db/schema';
import { removeSecondFactor } from '../two-factor/factor';

/**
 * An invitation accepted as a new person, for an address someone registered but never verified:
 * the invitation link proved the mailbox, so the account becomes the invitee's. In the accept's
 * transaction: the name and password become the invitee's, the address counts as verified, the
 * session version moves on and every session row is revoked (whoever registered it is signed out
 * everywhere), unused reset and verification links die, and any second factor they set up is
 * removed. Null when there is no unverified account with this address (a verified one must sign
 * in instead). Global tables only (users, user_sessions, auth_tokens, user_totp).
 */
export async function claimUnverifiedAccount(
  tx: Tx,
  email: string,
  name: string,
  passwordHash: string,
): Promise<string | null> {
  const [account] = await tx
    .update(users)
    .set({
      name,
      passwordHash,
      emailVerifiedAt: sql`now()`,
      sessionVersion: sql`${users.sessionVersion} + 1`,
      updatedAt: sql`now()`,
    })
    .where(and(eq(users.email, email), isNull(users.emailVerifiedAt)))
    .returning({ id: users.id });
  if (!account) return null;
  await tx
    .update(userSessions)
    .set({ revokedAt: sql`now()` })
    .where(and(eq(userSessions.userId, account.id), isNull(userSessions.revokedAt)));
  await tx
    .update(authTokens)
    .set({ usedAt: sql`now()` })
    .where(and(eq(authTokens.userId, account.id), isNull(authTokens.usedAt)));
  await removeSecondFactor(tx, account.id);
  return account.id;
}
