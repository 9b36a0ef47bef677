import { and, eq, gt, isNull, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import { withTokenOrgTx, type Executor } from '@/db/client';
import { invitations, memberships, organizations, units, users } from '@/db/schema';
import { hashPassword, passwordProblem } from '@/lib/auth/password';
import type { SessionClaims } from '@/lib/auth/session';
import type { Role } from '@/lib/authz/permissions';
import { INVALID_LINK, invitationProblem } from '@/lib/domain/invitations';
import { AppError, conflictError, forbiddenError, validationError } from '@/lib/errors';
import type { AssignableRole } from '@/lib/validation/people';
import { appendAudit } from '../audit';
import { claimUnverifiedAccount } from './claim-account';
import { hashInvitationToken } from './invitations';

/*
 * The invitee's side of an invitation, authenticated by the link's token alone (no org context):
 * the preview the invite page shows, and the accept that creates the membership.
 */

/** What the invite page shows to whoever holds the link. */
export type InvitationPreview = {
  orgName: string;
  orgSlug: string;
  email: string;
  role: AssignableRole;
  homeUnitName: string;
  inviterName: string | null;
  expiresAt: string;
  /** Whether a verified account with the invited email exists (it must sign in to accept). */
  accountExists: boolean;
  /**
   * Whether someone registered the invited address but never verified it: accepting as a new
   * person takes that account over (its password and sessions end, the invitee sets a password).
   */
  claimsUnverifiedAccount: boolean;
};

type InvitationRow = {
  id: string;
  orgId: string;
  orgName: string;
  orgSlug: string;
  email: string;
  role: Role;
  homeUnitId: string;
  homeUnitName: string;
  inviterName: string | null;
  expiresAt: Date | string;
  acceptedAt: Date | string | null;
  revokedAt: Date | string | null;
  expired: boolean;
};

async function findByTokenHash(executor: Executor, tokenHash: string): Promise<InvitationRow | undefined> {
  const inviter = alias(users, 'inviter');
  const [row] = await executor
    .select({
      id: invitations.id,
      orgId: invitations.orgId,
      orgName: organizations.name,
      orgSlug: organizations.slug,
      email: invitations.email,
      role: invitations.role,
      homeUnitId: invitations.homeUnitId,
      homeUnitName: units.name,
      inviterName: inviter.name,
      expiresAt: invitations.expiresAt,
      acceptedAt: invitations.acceptedAt,
      revokedAt: invitations.revokedAt,
      expired: sql<boolean>`${invitations.expiresAt} <= now()`,
    })
    .from(invitations)
    .innerJoin(organizations, eq(organizations.id, invitations.orgId))
    .innerJoin(units, and(eq(units.orgId, invitations.orgId), eq(units.id, invitations.homeUnitId)))
    .leftJoin(inviter, eq(inviter.id, invitations.invitedByUserId))
    .where(eq(invitations.tokenHash, tokenHash))
    .limit(1);
  return row;
}

/**
 * Looks an invitation up by the raw token from the link (hashed before the lookup). Public: the
 * token is the credential. Unknown tokens are NOT_FOUND; used, withdrawn and expired ones are
 * CONFLICT, each with a message saying what to do.
 */
export async function getInvitationByToken(token: string): Promise<InvitationPreview> {
  const tokenHash = hashInvitationToken(token);
  const { row, account } = await withTokenOrgTx('invitations', tokenHash, async (tx) => {
    const found = await findByTokenHash(tx, tokenHash);
    if (!found) return { row: found, account: undefined };
    const [user] = await tx
      .select({ id: users.id, verified: sql<boolean>`${users.emailVerifiedAt} is not null` })
      .from(users)
      .where(eq(users.email, found.email))
      .limit(1);
    return { row: found, account: user };
  });
  const problem = invitationProblem(row);
  if (problem || !row) throw problem ?? new AppError('NOT_FOUND', INVALID_LINK);
  return {
    orgName: row.orgName,
    orgSlug: row.orgSlug,
    email: row.email,
    role: row.role as AssignableRole,
    homeUnitName: row.homeUnitName,
    inviterName: row.inviterName ?? null,
    expiresAt: new Date(row.expiresAt).toISOString(),
    accountExists: Boolean(account?.verified),
    claimsUnverifiedAccount: Boolean(account && !account.verified),
  };
}

export type AcceptAs =
  | { kind: 'new'; name: string; password: string }
  | { kind: 'existing'; claims: SessionClaims };

/**
 * Accepts an invitation, authenticated by its token: as a new person (name + password under the
 * sign-up policy; the email is the invited one) or as the signed-in person whose email matches.
 * A new person whose address someone registered but never verified claims that account: the
 * link proves the mailbox, so the account's password, sessions, pending links and second factor
 * are replaced by the invitee's (lib/dal/people/claim-account.ts).
 * Single use: the invitation is marked accepted by a conditional update in the same transaction
 * that creates the membership, so of two concurrent accepts exactly one succeeds. Audited
 * without the token or the password.
 */
export async function acceptInvitation(
  token: string,
  as: AcceptAs,
): Promise<{ orgSlug: string; email: string; userId: string }> {
  const tokenHash = hashInvitationToken(token);
  let passwordHash: string | null = null;
  if (as.kind === 'new') {
    // Check the link and the password before the slow hash, outside the transaction.
    const preview = await withTokenOrgTx('invitations', tokenHash, (tx) =>
      findByTokenHash(tx, tokenHash),
    );
    const problem = invitationProblem(preview);
    if (problem || !preview) throw problem ?? new AppError('NOT_FOUND', INVALID_LINK);
    const weak = passwordProblem(as.password, { email: preview.email });
    if (weak) throw validationError(weak, { password: [weak] });
    passwordHash = await hashPassword(as.password);
  }
  return withTokenOrgTx('invitations', tokenHash, async (tx) => {
    const [claimed] = await tx
      .update(invitations)
      .set({ acceptedAt: sql`now()` })
      .where(
        and(
          eq(invitations.tokenHash, tokenHash),
          isNull(invitations.acceptedAt),
          isNull(invitations.revokedAt),
          gt(invitations.expiresAt, sql`now()`),
        ),
      )
      .returning({
        id: invitations.id,
        orgId: invitations.orgId,
        email: invitations.email,
        role: invitations.role,
        homeUnitId: invitations.homeUnitId,
      });
    if (!claimed) {
      throw invitationProblem(await findByTokenHash(tx, tokenHash)) ?? conflictError(INVALID_LINK);
    }
    await tx.execute(sql`select set_config('app.org_id', ${claimed.orgId}, true)`);

    let userId: string;
    let takenOver = false;
    if (as.kind === 'new') {
      const [user] = await tx
        .insert(users)
        .values({
          email: claimed.email,
          name: as.name,
          passwordHash: passwordHash!,
          // The invitation reached this address: it counts as verified.
          emailVerifiedAt: sql`now()`,
        })
        .onConflictDoNothing({ target: users.email })
        .returning({ id: users.id });
      const claimedId =
        user?.id ?? (await claimUnverifiedAccount(tx, claimed.email, as.name, passwordHash!));
      if (!claimedId) {
        throw validationError('An account with this email already exists. Sign in to accept the invitation.');
      }
      takenOver = !user;
      userId = claimedId;
    } else {
      const [user] = await tx
        .select({ id: users.id, email: users.email })
        .from(users)
        .where(and(eq(users.id, as.claims.userId), eq(users.sessionVersion, as.claims.sessionVersion)))
        .limit(1);
      if (!user) throw new AppError('UNAUTHENTICATED', 'Please sign in.');
      if (user.email !== claimed.email) {
        throw forbiddenError(
          `This invitation is for ${claimed.email}. Sign in with that address to accept it.`,
        );
      }
      userId = user.id;
      await tx
        .update(users)
        .set({ emailVerifiedAt: sql`coalesce(${users.emailVerifiedAt}, now())` })
        .where(eq(users.id, userId));
    }

    // A home unit archived since the invitation was sent falls back to the company root.
    const [home] = await tx
      .select({ id: units.id })
      .from(units)
      .where(
        and(
          eq(units.orgId, claimed.orgId),
          isNull(units.archivedAt),
          sql`(${units.id} = ${claimed.homeUnitId} or ${units.kind} = 'company')`,
        ),
      )
      .orderBy(sql`(${units.id} = ${claimed.homeUnitId}) desc`)
      .limit(1);
    if (!home) throw new Error('organization has no active company unit');

    const [joined] = await tx
      .insert(memberships)
      .values({ orgId: claimed.orgId, userId, role: claimed.role, homeUnitId: home.id })
      .onConflictDoNothing()
      .returning({ userId: memberships.userId });
    if (!joined) throw conflictError('You are already a member of this organization.');
    await tx
      .update(invitations)
      .set({ acceptedByUserId: userId })
      .where(and(eq(invitations.orgId, claimed.orgId), eq(invitations.id, claimed.id)));
    await tx.update(users).set({ lastOrgId: claimed.orgId }).where(eq(users.id, userId));
    await appendAudit(tx, {
      orgId: claimed.orgId,
      actorUserId: userId,
      action: 'member.join',
      entityType: 'membership',
      entityId: userId,
      after: {
        email: claimed.email,
        role: claimed.role,
        homeUnitId: home.id,
        invitationId: claimed.id,
        newAccount: as.kind === 'new' && !takenOver,
        ...(takenOver ? { claimedUnverifiedAccount: true } : {}),
      },
    });
    const [org] = await tx
      .select({ slug: organizations.slug })
      .from(organizations)
      .where(eq(organizations.id, claimed.orgId))
      .limit(1);
    if (!org) throw new Error('organization vanished during accept');
    return { orgSlug: org.slug, email: claimed.email, userId };
  });
}
