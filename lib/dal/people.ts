import { createHash, randomBytes } from 'node:crypto';
import { and, asc, desc, eq, gt, isNotNull, isNull, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import { withOrgTx, withTokenOrgTx, type Executor, type Tx } from '@/db/client';
import { invitations, kpis, memberships, organizations, units, users } from '@/db/schema';
import { hashPassword, passwordProblem } from '@/lib/auth/password';
import type { SessionClaims } from '@/lib/auth/session';
import { assertCan, can } from '@/lib/authz/can';
import type { Role } from '@/lib/authz/permissions';
import { AppError, conflictError, forbiddenError, notFoundError, validationError } from '@/lib/errors';
import type { OrgContext } from '@/lib/server/org-context';
import type { AssignableRole } from '@/lib/validation/people';
import { appendAudit } from './audit';
import { FORMER_OWNER_ROLE, isOwnerRole } from '@/lib/authz/roles';

/** Invitations are valid for this long after they are created (or re-sent). */
export const INVITATION_TTL_DAYS = 7;

export type MemberDto = {
  userId: string;
  name: string;
  email: string;
  role: Role;
  homeUnitId: string;
  homeUnitName: string;
  /** Units (not archived) this person leads. */
  ledUnits: { id: string; name: string }[];
  joinedAt: string;
};

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

export type UnitOptionDto = { id: string; name: string; kind: 'company' | 'department' | 'team'; depth: number };

/** What the invite page shows to whoever holds the link. */
export type InvitationPreview = {
  orgName: string;
  orgSlug: string;
  email: string;
  role: AssignableRole;
  homeUnitName: string;
  inviterName: string | null;
  expiresAt: string;
  /** Whether an account with the invited email exists (it must sign in to accept). */
  accountExists: boolean;
};

const ROLE_ORDER = sql`case ${memberships.role} when 'owner' then 0 when 'admin' then 1 else 2 end`;

/** A fresh link token (32 random bytes, base64url) and the sha256 hex stored in its place. */
export function newInvitationToken(): { token: string; tokenHash: string } {
  const token = randomBytes(32).toString('base64url');
  return { token, tokenHash: hashInvitationToken(token) };
}

/** The stored form of a token: lookups hash the presented token and compare hashes. */
export function hashInvitationToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

function iso(value: Date | string): string {
  return value instanceof Date ? value.toISOString() : new Date(value).toISOString();
}

/** The same answer for another organization's unit and a unit that does not exist. */
function unitNotFound(field: string): AppError {
  return new AppError('NOT_FOUND', 'That unit was not found.', {
    [field]: ['That unit was not found. Reload the page and choose another.'],
  });
}

/**
 * Members of the organization with their home unit and the units they lead. Visible to every
 * member (the page hides management controls by permission). Tenant-scoped by ctx.org.id.
 */
export async function listMembers(ctx: OrgContext): Promise<MemberDto[]> {
  return withOrgTx(ctx.org.id, async (tx) => {
    const home = alias(units, 'home_unit');
    const rows = await tx
      .select({
        userId: memberships.userId,
        name: users.name,
        email: users.email,
        role: memberships.role,
        homeUnitId: memberships.homeUnitId,
        homeUnitName: home.name,
        joinedAt: memberships.createdAt,
      })
      .from(memberships)
      .innerJoin(users, eq(users.id, memberships.userId))
      .innerJoin(home, and(eq(home.orgId, memberships.orgId), eq(home.id, memberships.homeUnitId)))
      .where(eq(memberships.orgId, ctx.org.id))
      .orderBy(ROLE_ORDER, asc(users.name), asc(users.email));
    const led = await tx
      .select({ id: units.id, name: units.name, leadUserId: units.leadUserId })
      .from(units)
      .where(and(eq(units.orgId, ctx.org.id), isNotNull(units.leadUserId), isNull(units.archivedAt)))
      .orderBy(asc(units.name));
    const ledBy = new Map<string, { id: string; name: string }[]>();
    for (const unit of led) {
      if (!unit.leadUserId) continue;
      const list = ledBy.get(unit.leadUserId) ?? [];
      list.push({ id: unit.id, name: unit.name });
      ledBy.set(unit.leadUserId, list);
    }
    return rows.map((row) => ({
      ...row,
      joinedAt: iso(row.joinedAt),
      ledUnits: ledBy.get(row.userId) ?? [],
    }));
  });
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
      createdAt: iso(row.createdAt),
      expiresAt: iso(row.expiresAt),
      expired: Boolean(row.expired),
    }));
  });
}

/** Units (not archived) in tree order with their depth, for home-unit pickers. Tenant-scoped. */
export async function listUnitOptions(ctx: OrgContext): Promise<UnitOptionDto[]> {
  return withOrgTx(ctx.org.id, async (tx) => {
    const rows = await tx
      .select({ id: units.id, name: units.name, kind: units.kind, parentId: units.parentId })
      .from(units)
      .where(and(eq(units.orgId, ctx.org.id), isNull(units.archivedAt)))
      .orderBy(asc(units.sortOrder), asc(units.name));
    const children = new Map<string | null, typeof rows>();
    for (const row of rows) {
      const list = children.get(row.parentId) ?? [];
      list.push(row);
      children.set(row.parentId, list);
    }
    const ids = new Set(rows.map((r) => r.id));
    const out: UnitOptionDto[] = [];
    const visit = (parentId: string | null, depth: number) => {
      for (const row of children.get(parentId) ?? []) {
        out.push({ id: row.id, name: row.name, kind: row.kind, depth });
        visit(row.id, depth + 1);
      }
    };
    visit(null, 0);
    // Units whose parent is archived still get listed, at the top level.
    for (const row of rows) {
      if (row.parentId && !ids.has(row.parentId)) {
        out.push({ id: row.id, name: row.name, kind: row.kind, depth: 0 });
        visit(row.id, 1);
      }
    }
    return out;
  });
}

async function requireActiveUnit(tx: Tx, orgId: string, unitId: string, field: string): Promise<void> {
  const [unit] = await tx
    .select({ id: units.id })
    .from(units)
    .where(and(eq(units.orgId, orgId), eq(units.id, unitId), isNull(units.archivedAt)))
    .limit(1);
  if (!unit) throw unitNotFound(field);
}

/** Locks one membership of this organization for the rest of the transaction; NOT_FOUND if none. */
async function lockMembership(tx: Tx, orgId: string, userId: string) {
  const [row] = await tx
    .select({
      userId: memberships.userId,
      role: memberships.role,
      homeUnitId: memberships.homeUnitId,
    })
    .from(memberships)
    .where(and(eq(memberships.orgId, orgId), eq(memberships.userId, userId)))
    .for('update');
  if (!row) throw notFoundError();
  return row;
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
  await appendAudit(tx, {
    orgId,
    actorUserId: ctx.actor.userId,
    action: 'invitation.create',
    entityType: 'invitation',
    entityId: created.id,
    before: replaced.length ? { replacedInvitationIds: replaced.map((r) => r.id) } : null,
    after: { email, role: input.role, homeUnitId: input.homeUnitId, expiresAt: iso(created.expiresAt) },
  });
  return { id: created.id, email, role: input.role, expiresAt: iso(created.expiresAt), token };
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

const INVALID_LINK = 'This invitation link is not valid. Check that you copied all of it, or ask for a new invitation.';

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

/** The clear, safe reason a link cannot be used, or null when it can. */
function invitationProblem(row: InvitationRow | undefined): AppError | null {
  if (!row) return new AppError('NOT_FOUND', INVALID_LINK);
  if (row.acceptedAt) {
    return new AppError('CONFLICT', `This invitation has already been used. Sign in to open ${row.orgName}.`);
  }
  if (row.revokedAt) {
    return new AppError(
      'CONFLICT',
      `This invitation was withdrawn or replaced by a newer one. Ask an admin of ${row.orgName} to send you a new link.`,
    );
  }
  if (row.expired) {
    return new AppError(
      'CONFLICT',
      `This invitation expired. Ask an admin of ${row.orgName} to send you a new link.`,
    );
  }
  return null;
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
      .select({ id: users.id })
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
    expiresAt: iso(row.expiresAt),
    accountExists: Boolean(account),
  };
}

export type AcceptAs =
  | { kind: 'new'; name: string; password: string }
  | { kind: 'existing'; claims: SessionClaims };

/**
 * Accepts an invitation, authenticated by its token: as a new person (name + password under the
 * sign-up policy; the email is the invited one) or as the signed-in person whose email matches.
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
    if (as.kind === 'new') {
      const [user] = await tx
        .insert(users)
        .values({ email: claimed.email, name: as.name, passwordHash: passwordHash! })
        .onConflictDoNothing({ target: users.email })
        .returning({ id: users.id });
      if (!user) {
        throw validationError('An account with this email already exists. Sign in to accept the invitation.');
      }
      userId = user.id;
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
        newAccount: as.kind === 'new',
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

/**
 * Changes a member's role between admin and member. Permission: 'members.manage' on the target
 * (admins never act on the owner). The owner's role never changes here: ownership moves only by
 * transferOwnership, so the organization always has exactly one owner. Takes effect on the
 * person's next request (the membership is re-read every request).
 */
export async function changeMemberRole(
  ctx: OrgContext,
  tx: Tx,
  input: { userId: string; role: AssignableRole },
): Promise<{ changed: boolean }> {
  const target = await lockMembership(tx, ctx.org.id, input.userId);
  assertCan(ctx, 'members.manage', { memberRole: target.role });
  if (isOwnerRole(target.role)) {
    throw validationError('The owner stays owner until they transfer ownership to someone else.');
  }
  if (isOwnerRole(input.role as Role)) {
    throw validationError('Ownership moves only by transfer.');
  }
  if (target.role === input.role) return { changed: false };
  await tx
    .update(memberships)
    .set({ role: input.role, updatedAt: sql`now()` })
    .where(and(eq(memberships.orgId, ctx.org.id), eq(memberships.userId, input.userId)));
  await appendAudit(tx, {
    orgId: ctx.org.id,
    actorUserId: ctx.actor.userId,
    action: 'member.role_change',
    entityType: 'membership',
    entityId: input.userId,
    before: { role: target.role },
    after: { role: input.role },
  });
  return { changed: true };
}

/**
 * Moves a member to another home unit (a unit of this organization that is not archived).
 * Permission: 'units.manage' (owner, admin: "edit units, leads, home units" in DESIGN section 2).
 * Another organization's person or unit is NOT_FOUND, like a missing one.
 */
export async function changeHomeUnit(
  ctx: OrgContext,
  tx: Tx,
  input: { userId: string; homeUnitId: string },
): Promise<{ changed: boolean }> {
  assertCan(ctx, 'units.manage');
  const target = await lockMembership(tx, ctx.org.id, input.userId);
  await requireActiveUnit(tx, ctx.org.id, input.homeUnitId, 'homeUnitId');
  if (target.homeUnitId === input.homeUnitId) return { changed: false };
  await tx
    .update(memberships)
    .set({ homeUnitId: input.homeUnitId, updatedAt: sql`now()` })
    .where(and(eq(memberships.orgId, ctx.org.id), eq(memberships.userId, input.userId)));
  await appendAudit(tx, {
    orgId: ctx.org.id,
    actorUserId: ctx.actor.userId,
    action: 'member.home_unit_change',
    entityType: 'membership',
    entityId: input.userId,
    before: { homeUnitId: target.homeUnitId },
    after: { homeUnitId: input.homeUnitId },
  });
  return { changed: true };
}

/**
 * Removes a member: their KPI ownerships and unit leads are cleared first, in the same
 * transaction, then the membership goes (their next request is NOT_FOUND). Permission:
 * 'members.manage' on the target. The owner can never be removed (not even by themselves):
 * ownership must be transferred first. A person who owns individual KPIs cannot be removed until
 * those get another owner, because an individual KPI always has an owner and must stay private.
 */
export async function removeMember(ctx: OrgContext, tx: Tx, userId: string): Promise<void> {
  const orgId = ctx.org.id;
  const target = await lockMembership(tx, orgId, userId);
  assertCan(ctx, 'members.manage', { memberRole: target.role });
  if (isOwnerRole(target.role)) {
    throw validationError('The owner cannot be removed. Transfer ownership to someone else first.');
  }
  const [individual] = await tx
    .select({ n: sql<number>`count(*)::int` })
    .from(kpis)
    .where(and(eq(kpis.orgId, orgId), eq(kpis.ownerUserId, userId), eq(kpis.isIndividual, true)));
  const individualCount = Number(individual?.n ?? 0);
  if (individualCount > 0) {
    throw conflictError(
      `This person owns ${individualCount} individual KPI${individualCount === 1 ? '' : 's'}. ` +
        'Give them another owner first, then remove the person.',
    );
  }
  const clearedKpis = await tx
    .update(kpis)
    .set({ ownerUserId: null, version: sql`${kpis.version} + 1`, updatedAt: sql`now()` })
    .where(and(eq(kpis.orgId, orgId), eq(kpis.ownerUserId, userId)))
    .returning({ id: kpis.id });
  const clearedLeads = await tx
    .update(units)
    .set({ leadUserId: null, version: sql`${units.version} + 1`, updatedAt: sql`now()` })
    .where(and(eq(units.orgId, orgId), eq(units.leadUserId, userId)))
    .returning({ id: units.id });
  const [person] = await tx
    .select({ email: users.email, name: users.name })
    .from(users)
    .where(eq(users.id, userId))
    .limit(1);
  await tx.delete(memberships).where(and(eq(memberships.orgId, orgId), eq(memberships.userId, userId)));
  await tx
    .update(users)
    .set({ lastOrgId: null })
    .where(and(eq(users.id, userId), eq(users.lastOrgId, orgId)));
  await appendAudit(tx, {
    orgId,
    actorUserId: ctx.actor.userId,
    action: 'member.remove',
    entityType: 'membership',
    entityId: userId,
    before: {
      email: person?.email ?? null,
      name: person?.name ?? null,
      role: target.role,
      homeUnitId: target.homeUnitId,
      ownedKpiIds: clearedKpis.map((k) => k.id),
      ledUnitIds: clearedLeads.map((u) => u.id),
    },
    after: null,
  });
}

/**
 * Makes another member the owner; the current owner becomes an admin. Permission: 'org.transfer'
 * (the owner only, re-checked under a row lock so two transfers cannot both win). The
 * organization has exactly one owner before and after.
 */
export async function transferOwnership(ctx: OrgContext, tx: Tx, userId: string): Promise<void> {
  assertCan(ctx, 'org.transfer');
  const orgId = ctx.org.id;
  const owners = await tx
    .select({ userId: memberships.userId })
    .from(memberships)
    .where(and(eq(memberships.orgId, orgId), eq(memberships.role, 'owner')))
    .for('update');
  if (owners.length !== 1 || owners[0]?.userId !== ctx.actor.userId) throw forbiddenError();
  if (userId === ctx.actor.userId) {
    throw validationError('You already own this organization.', { userId: ['Choose someone else.'] });
  }
  const target = await lockMembership(tx, orgId, userId);
  await tx
    .update(memberships)
    .set({ role: FORMER_OWNER_ROLE, updatedAt: sql`now()` })
    .where(and(eq(memberships.orgId, orgId), eq(memberships.userId, ctx.actor.userId)));
  await tx
    .update(memberships)
    .set({ role: 'owner', updatedAt: sql`now()` })
    .where(and(eq(memberships.orgId, orgId), eq(memberships.userId, userId)));
  await appendAudit(tx, {
    orgId,
    actorUserId: ctx.actor.userId,
    action: 'org.transfer',
    entityType: 'organization',
    entityId: orgId,
    before: { ownerUserId: ctx.actor.userId, newOwnerPreviousRole: target.role },
    after: { ownerUserId: userId, previousOwnerRole: FORMER_OWNER_ROLE },
  });
}
