import { createHash, randomBytes } from 'node:crypto';
import { and, desc, eq, isNull, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import { withOrgTx, type Tx } from '@/db/client';
import { invitations, memberships, units, users } from '@/db/schema';
import { assertCan, can } from '@/lib/authz/can';
import { INVITATION_TTL_DAYS } from '@/lib/domain/invitations';
import { conflictError, notFoundError, validationError } from '@/lib/errors';
import type { OrgContext } from '@/lib/server/org-context';
import type { AssignableRole } from '@/lib/validation/people';
import { appendAudit } from '../audit';
import { requireActiveUnit } from './home-unit';

/* Invitations as admins manage them: their link tokens, creating, listing and revoking them. */

export type InvitationDto = {
  id: string;
  email: string;
  role: AssignableRole;
  homeUnitId: string;
  homeUnitName: string;
  invitedByName: string | null;
  createdAt: string;
  expiresAt: string;
  expired: boolean;
};

/** A fresh link token (32 random bytes, base64url) and the sha256 hex stored in its place. */
export function newInvitationToken(): { token: string; tokenHash: string } {
  const token = randomBytes(32).toString('base64url');
  return { token, tokenHash: hashInvitationToken(token) };
}

/** The stored form of a token: lookups hash the presented token and compare hashes. */
export function hashInvitationToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/**
 * Open invitations (neither accepted nor revoked), newest first; expired ones are flagged so an
 * admin can re-send or revoke them. For people holding 'members.manage'; others get an empty list.
 */
export async function listInvitations(ctx: OrgContext): Promise<InvitationDto[]> {
  if (!can(ctx, 'members.manage')) return [];
  return withOrgTx(ctx.org.id, async (tx) => {
    const inviter = alias(users, 'inviter');
    const rows = await tx
      .select({
        id: invitations.id,
        email: invitations.email,
        role: invitations.role,
        homeUnitId: invitations.homeUnitId,
        homeUnitName: units.name,
        invitedByName: inviter.name,
        createdAt: invitations.createdAt,
        expiresAt: invitations.expiresAt,
        expired: sql<boolean>`${invitations.expiresAt} <= now()`,
      })
      .from(invitations)
      .innerJoin(units, and(eq(units.orgId, invitations.orgId), eq(units.id, invitations.homeUnitId)))
      .leftJoin(inviter, eq(inviter.id, invitations.invitedByUserId))
      .where(
        and(
          eq(invitations.orgId, ctx.org.id),
          isNull(invitations.acceptedAt),
          isNull(invitations.revokedAt),
        ),
      )
      .orderBy(desc(invitations.createdAt));
    return rows.map((row) => ({
      ...row,
      role: row.role as AssignableRole,
      invitedByName: row.invitedByName ?? null,
      createdAt: new Date(row.createdAt).toISOString(),
      expiresAt: new Date(row.expiresAt).toISOString(),
      expired: Boolean(row.expired),
    }));
  });
}

/**
 * Creates an invitation and returns its raw token (shown once, never stored: only its sha256).
 * Permission: 'members.manage' (owner, admin). Refuses an email that is already a member; a
 * re-invite of an email with an open invitation revokes that one, so only the newest link works.
 * Runs in the caller's tenant transaction (ctx.org.id); audited without the token.
 */
export async function createInvitation(
  ctx: OrgContext,
  tx: Tx,
  input: { email: string; role: AssignableRole; homeUnitId: string },
): Promise<{ id: string; email: string; role: AssignableRole; expiresAt: string; token: string }> {
  assertCan(ctx, 'members.manage', { memberRole: input.role });
  const orgId = ctx.org.id;
  const email = input.email.trim().toLowerCase();
  await requireActiveUnit(tx, orgId, input.homeUnitId, 'homeUnitId');
  const [member] = await tx
    .select({ userId: memberships.userId })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(and(eq(memberships.orgId, orgId), eq(users.email, email)))
    .limit(1);
  if (member) {
    throw validationError('This person is already a member.', {
      email: ['This person is already a member of this organization.'],
    });
  }
  const replaced = await tx
    .update(invitations)
    .set({ revokedAt: sql`now()` })
    .where(
      and(
        eq(invitations.orgId, orgId),
        eq(invitations.email, email),
        isNull(invitations.acceptedAt),
        isNull(invitations.revokedAt),
      ),
    )
    .returning({ id: invitations.id });
  const { token, tokenHash } = newInvitationToken();
  const [created] = await tx
    .insert(invitations)
    .values({
      orgId,
      email,
      role: input.role,
      homeUnitId: input.homeUnitId,
      tokenHash,
      invitedByUserId: ctx.actor.userId,
      expiresAt: sql`now() + make_interval(days => ${INVITATION_TTL_DAYS})`,
    })
    .onConflictDoNothing()
    .returning({ id: invitations.id, expiresAt: invitations.expiresAt });
  if (!created) {
    throw conflictError('Someone invited this person at the same moment. Reload to see the invitation.');
  }
  const expiresAt = new Date(created.expiresAt).toISOString();
  await appendAudit(tx, {
    orgId,
    actorUserId: ctx.actor.userId,
    action: 'invitation.create',
    entityType: 'invitation',
    entityId: created.id,
    before: replaced.length ? { replacedInvitationIds: replaced.map((r) => r.id) } : null,
    after: { email, role: input.role, homeUnitId: input.homeUnitId, expiresAt },
  });
  return { id: created.id, email, role: input.role, expiresAt, token };
}

/**
 * Withdraws an open invitation so its link stops working. Permission: 'members.manage'. Another
 * organization's invitation, a missing one and one already used or revoked are all NOT_FOUND.
 */
export async function revokeInvitation(ctx: OrgContext, tx: Tx, invitationId: string): Promise<void> {
  assertCan(ctx, 'members.manage');
  const [revoked] = await tx
    .update(invitations)
    .set({ revokedAt: sql`now()` })
    .where(
      and(
        eq(invitations.orgId, ctx.org.id),
        eq(invitations.id, invitationId),
        isNull(invitations.acceptedAt),
        isNull(invitations.revokedAt),
      ),
    )
    .returning({ id: invitations.id, email: invitations.email, role: invitations.role });
  if (!revoked) throw notFoundError();
  await appendAudit(tx, {
    orgId: ctx.org.id,
    actorUserId: ctx.actor.userId,
    action: 'invitation.revoke',
    entityType: 'invitation',
    entityId: revoked.id,
    before: { email: revoked.email, role: revoked.role, status: 'open' },
    after: { status: 'revoked' },
  });
}
