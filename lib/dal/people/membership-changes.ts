import { and, eq, isNull, sql } from 'drizzle-orm';
import type { Tx } from '@/db/client';
import { apiKeys, kpis, memberships, units, users } from '@/db/schema';
import { assertCan } from '@/lib/authz/can';
import { ROLE_PERMISSIONS } from '@/lib/authz/permissions';
import type { Role } from '@/lib/authz/permissions';
import { FORMER_OWNER_ROLE, isOwnerRole } from '@/lib/authz/roles';
import { conflictError, forbiddenError, notFoundError, validationError } from '@/lib/errors';
import type { OrgContext } from '@/lib/server/org-context';
import type { AssignableRole } from '@/lib/validation/people';
import { appendAudit } from '../audit';
import { requireActiveUnit } from './home-unit';

/*
 * Changes to an existing membership: role, home unit, removal and ownership transfer. Each runs in
 * the caller's tenant transaction and locks the target membership first.
 */

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
 * Revokes for good the live API keys a person created in this organization (a revoked key never
 * works again, so a later promotion does not revive them). Returns the revoked ids for the audit.
 */
async function revokeApiKeysOf(tx: Tx, orgId: string, userId: string): Promise<string[]> {
  const rows = await tx
    .update(apiKeys)
    .set({ revokedAt: sql`now()` })
    .where(and(eq(apiKeys.orgId, orgId), eq(apiKeys.createdByUserId, userId), isNull(apiKeys.revokedAt)))
    .returning({ id: apiKeys.id });
  return rows.map((r) => r.id);
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
  // A role that may not manage API keys loses the keys it made, for good.
  const revokedApiKeyIds = ROLE_PERMISSIONS[input.role as Role].has('apikeys.manage')
    ? []
    : await revokeApiKeysOf(tx, ctx.org.id, input.userId);
  await appendAudit(tx, {
    orgId: ctx.org.id,
    actorUserId: ctx.actor.userId,
    action: 'member.role_change',
    entityType: 'membership',
    entityId: input.userId,
    before: { role: target.role },
    after: { role: input.role, ...(revokedApiKeyIds.length ? { revokedApiKeyIds } : {}) },
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
 * Removes a member: their KPI ownerships and unit leads are cleared and their API keys revoked
 * first, in the same transaction, then the membership goes (their next request is NOT_FOUND). Permission:
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
  const revokedApiKeyIds = await revokeApiKeysOf(tx, orgId, userId);
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
      revokedApiKeyIds,
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
