import { createHash, randomUUID } from 'node:crypto';
import { and, eq, ne, sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { getOwnerDb } from '@/db/client';
import { auditLog, invitations, kpis, memberships, units, users } from '@/db/schema';
import { runWithSession, type SessionClaims } from '@/lib/auth/session';
import type { Result } from '@/lib/result';
import { acceptInvitationAction, acceptInvitationAsNewUserAction } from '@/lib/actions/invitations';
import {
  changeHomeUnitAction,
  changeMemberRoleAction,
  inviteMemberAction,
  removeMemberAction,
  revokeInvitationAction,
  transferOwnershipAction,
} from '@/lib/actions/people';
import { authenticate } from '@/lib/dal/accounts';
import { endSession, startSession } from '@/lib/dal/sessions';
import { getInvitationByToken } from '@/lib/dal/people/accept-invitation';
import { listInvitations } from '@/lib/dal/people/invitations';
import {
  listHomeUnitOptions,
  getMemberChoice,
  listMembersPage,
  searchMemberNames,
} from '@/lib/dal/people/members';
import { getUnitTree } from '@/lib/dal/units/tree-view';
import { resolveOrgContext } from '@/lib/server/org-context';
import { TEST_PASSWORD, addTestMember, createTestOrg, makeLead } from './factories';
import { realPostgres } from './real-postgres';

type Org = Awaited<ReturnType<typeof createTestOrg>>;

function newEmail(label = 'invitee') {
  return `${label}-${randomUUID().slice(0, 8)}@example.test`;
}

function tokenOf(acceptPath: string): string {
  const token = acceptPath.replace(/^\/invite\//, '');
  expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
  return token;
}

async function addUnit(orgId: string, parentId: string, name = `Dept ${randomUUID().slice(0, 6)}`) {
  const db = await getOwnerDb();
  const [unit] = await db
    .insert(units)
    .values({ orgId, parentId, kind: 'department', name })
    .returning({ id: units.id });
  return unit!.id;
}

async function addKpi(orgId: string, unitId: string, ownerUserId: string | null, isIndividual = false) {
  const db = await getOwnerDb();
  const [kpi] = await db
    .insert(kpis)
    .values({
      orgId,
      unitId,
      ownerUserId,
      isIndividual,
      name: `KPI ${randomUUID().slice(0, 6)}`,
      measureUnit: 'count',
      direction: 'increase',
      cadence: 'month',
      timeAggregation: 'sum',
    })
    .returning({ id: kpis.id });
  return kpi!.id;
}

/** Everything a people action could change in one organization, for "unchanged" assertions. */
async function orgState(orgId: string) {
  const db = await getOwnerDb();
  const [members, invites, kpiOwners, leads, audits] = await Promise.all([
    db
      .select({ userId: memberships.userId, role: memberships.role, homeUnitId: memberships.homeUnitId })
      .from(memberships)
      .where(eq(memberships.orgId, orgId))
      .orderBy(memberships.userId),
    db
      .select({
        id: invitations.id,
        tokenHash: invitations.tokenHash,
        acceptedAt: invitations.acceptedAt,
        revokedAt: invitations.revokedAt,
      })
      .from(invitations)
      .where(eq(invitations.orgId, orgId))
      .orderBy(invitations.id),
    db.select({ id: kpis.id, owner: kpis.ownerUserId }).from(kpis).where(eq(kpis.orgId, orgId)).orderBy(kpis.id),
    db.select({ id: units.id, lead: units.leadUserId }).from(units).where(eq(units.orgId, orgId)).orderBy(units.id),
    // A refusal records itself (authz.denied) and nothing else.
    db
      .select({ n: sql<number>`count(*)::int` })
      .from(auditLog)
      .where(and(eq(auditLog.orgId, orgId), ne(auditLog.action, 'authz.denied'))),
  ]);
  return { members, invites, kpiOwners, leads, audits: audits[0]?.n };
}

async function invite(org: Org, email: string, role: 'admin' | 'member' = 'member', homeUnitId = org.rootUnitId) {
  const result = await runWithSession(org.owner, () =>
    inviteMemberAction(org.org.slug, { email, role, homeUnitId }),
  );
  if (!result.ok) throw new Error(`invite failed: ${JSON.stringify(result.error)}`);
  return { ...result.data, token: tokenOf(result.data.acceptPath) };
}

async function membershipOf(orgId: string, userId: string) {
  const db = await getOwnerDb();
  const [row] = await db
    .select({ role: memberships.role, homeUnitId: memberships.homeUnitId })
    .from(memberships)
    .where(and(eq(memberships.orgId, orgId), eq(memberships.userId, userId)));
  return row ?? null;
}

async function claimsFor(email: string): Promise<SessionClaims> {
  const db = await getOwnerDb();
  const [user] = await db
    .select({ userId: users.id, sessionVersion: users.sessionVersion })
    .from(users)
    .where(eq(users.email, email));
  return user!;
}

describe('invitations', () => {
  it('invite then accept as a new person gives a membership with the role and home unit', async () => {
    const org = await createTestOrg();
    const dept = await addUnit(org.org.id, org.rootUnitId, 'Sales');
    const email = newEmail();
    const sent = await invite(org, `  ${email.toUpperCase()} `, 'admin', dept);
    expect(sent.email).toBe(email);
    expect(sent.emailQueued).toBe(false);

    const ownerCtx = await runWithSession(org.owner, () => resolveOrgContext(org.org.slug));
    const open = await listInvitations(ownerCtx);
    expect(open).toMatchObject([{ email, role: 'admin', homeUnitName: 'Sales', expired: false }]);
    const ttl = new Date(open[0]!.expiresAt).getTime() - new Date(open[0]!.createdAt).getTime();
    expect(Math.round(ttl / 86_400_000)).toBe(7);

    const preview = await getInvitationByToken(sent.token);
    expect(preview).toMatchObject({ orgName: org.org.name, email, role: 'admin', homeUnitName: 'Sales', accountExists: false });

    const accepted = await acceptInvitationAsNewUserAction({ token: sent.token, name: ' New Person ', password: TEST_PASSWORD });
    expect(accepted).toEqual({ ok: true, data: { orgSlug: org.org.slug, email } });

    const claims = await claimsFor(email);
    expect(await membershipOf(org.org.id, claims.userId)).toEqual({ role: 'admin', homeUnitId: dept });
    const ctx = await runWithSession(claims, () => resolveOrgContext(org.org.slug));
    expect(ctx.actor.role).toBe('admin');
    expect(await authenticate(email, TEST_PASSWORD, '10.7.0.1')).toMatchObject({ email, name: 'New Person' });
    expect(await listInvitations(ownerCtx)).toEqual([]);
    const { rows: members } = await listMembersPage(ownerCtx, { page: 1 });
    expect(members.map((m) => m.role)).toEqual(['owner', 'admin']);
    expect(members[1]).toMatchObject({ email, homeUnitName: 'Sales', ledUnits: [] });

    const db = await getOwnerDb();
    const audits = await db.select().from(auditLog).where(eq(auditLog.orgId, org.org.id)).orderBy(auditLog.id);
    expect(audits.map((a) => a.action)).toEqual(['org.create', 'invitation.create', 'member.join']);
    expect(JSON.stringify(audits)).not.toContain(sent.token);
    expect(JSON.stringify(audits)).not.toContain(TEST_PASSWORD);
  });

  it('stores only the sha256 of the token', async () => {
    const org = await createTestOrg();
    const sent = await invite(org, newEmail());
    const db = await getOwnerDb();
    const [row] = await db.select().from(invitations).where(eq(invitations.id, sent.invitationId));
    expect(row?.tokenHash).toBe(createHash('sha256').update(sent.token).digest('hex'));
    const dump = await db.execute(sql`select t::text as row from invitations t where t.org_id = ${org.org.id}`);
    expect(JSON.stringify(dump)).not.toContain(sent.token);
    const audit = await db.execute(sql`select t::text as row from audit_log t where t.org_id = ${org.org.id}`);
    expect(JSON.stringify(audit)).not.toContain(sent.token);
  });

  it('is single use: a second accept is refused with a clear message', async () => {
    const org = await createTestOrg();
    const email = newEmail();
    const sent = await invite(org, email);
    expect((await acceptInvitationAsNewUserAction({ token: sent.token, name: 'First', password: TEST_PASSWORD })).ok).toBe(true);
    const before = await orgState(org.org.id);
    const again = await acceptInvitationAsNewUserAction({ token: sent.token, name: 'Second', password: TEST_PASSWORD });
    expect(again).toEqual({
      ok: false,
      error: { code: 'CONFLICT', message: `This invitation has already been used. Sign in to open ${org.org.name}.` },
    });
    const claims = await claimsFor(email);
    const asExisting = await runWithSession(claims, () => acceptInvitationAction({ token: sent.token }));
    expect(asExisting.ok).toBe(false);
    await expect(getInvitationByToken(sent.token)).rejects.toMatchObject({ code: 'CONFLICT' });
    expect(await orgState(org.org.id)).toEqual(before);
  });

  it('refuses an expired token and leaves everything as it was', async () => {
    const org = await createTestOrg();
    const email = newEmail();
    const sent = await invite(org, email);
    const db = await getOwnerDb();
    await db.update(invitations).set({ expiresAt: sql`now() - interval '1 minute'` }).where(eq(invitations.id, sent.invitationId));
    await expect(getInvitationByToken(sent.token)).rejects.toMatchObject({
      code: 'CONFLICT',
      message: expect.stringMatching(/expired/),
    });
    const before = await orgState(org.org.id);
    const result = await acceptInvitationAsNewUserAction({ token: sent.token, name: 'Late', password: TEST_PASSWORD });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.message).toMatch(/expired\. Ask an admin/);
    expect(await orgState(org.org.id)).toEqual(before);
    expect(await db.select().from(users).where(eq(users.email, email))).toEqual([]);
    const ctx = await runWithSession(org.owner, () => resolveOrgContext(org.org.slug));
    expect((await listInvitations(ctx))[0]).toMatchObject({ email, expired: true });
  });

  it('answers an unknown or malformed token without revealing anything', async () => {
    await expect(getInvitationByToken('A'.repeat(43))).rejects.toMatchObject({ code: 'NOT_FOUND' });
    const malformed = await acceptInvitationAsNewUserAction({ token: 'short', name: 'X', password: TEST_PASSWORD });
    expect(malformed.ok).toBe(false);
    if (!malformed.ok) expect(malformed.error.code).toBe('VALIDATION');
    const unknown = await acceptInvitationAsNewUserAction({ token: 'B'.repeat(43), name: 'X', password: TEST_PASSWORD });
    expect(unknown.ok).toBe(false);
    if (!unknown.ok) expect(unknown.error.code).toBe('NOT_FOUND');
  });

  it('a re-invite replaces the old link; a revoked link stops working', async () => {
    const org = await createTestOrg();
    const email = newEmail();
    const first = await invite(org, email);
    const second = await invite(org, email, 'admin');
    await expect(getInvitationByToken(first.token)).rejects.toMatchObject({ message: expect.stringMatching(/replaced/) });
    expect((await getInvitationByToken(second.token)).role).toBe('admin');
    const ctx = await runWithSession(org.owner, () => resolveOrgContext(org.org.slug));
    expect((await listInvitations(ctx)).map((i) => i.id)).toEqual([second.invitationId]);

    const revoked = await runWithSession(org.owner, () =>
      revokeInvitationAction(org.org.slug, { invitationId: second.invitationId }),
    );
    expect(revoked.ok).toBe(true);
    const accept = await acceptInvitationAsNewUserAction({ token: second.token, name: 'X', password: TEST_PASSWORD });
    expect(accept.ok).toBe(false);
    expect(await listInvitations(ctx)).toEqual([]);
  });

  it('refuses to invite someone who is already a member', async () => {
    const org = await createTestOrg();
    const member = await addTestMember(org.org.id, { role: 'member', homeUnitId: org.rootUnitId });
    const before = await orgState(org.org.id);
    const result = await runWithSession(org.owner, () =>
      inviteMemberAction(org.org.slug, { email: member.email, role: 'member', homeUnitId: org.rootUnitId }),
    );
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.fieldErrors?.email?.[0]).toMatch(/already a member/);
    expect(await orgState(org.org.id)).toEqual(before);
  });

  it('refuses bad input with field errors and unknown keys', async () => {
    const org = await createTestOrg();
    const bad = await runWithSession(org.owner, () =>
      inviteMemberAction(org.org.slug, { email: 'nope', role: 'owner' as 'admin', homeUnitId: 'x' }),
    );
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(Object.keys(bad.error.fieldErrors ?? {}).sort()).toEqual(['email', 'homeUnitId', 'role']);
    const extra = await runWithSession(org.owner, () =>
      inviteMemberAction(org.org.slug, {
        email: newEmail(),
        role: 'member',
        homeUnitId: org.rootUnitId,
        orgId: randomUUID(),
      } as never),
    );
    expect(extra.ok).toBe(false);
  });

  it('a new person must meet the password policy; the invitation stays open', async () => {
    const org = await createTestOrg();
    const email = newEmail();
    const sent = await invite(org, email);
    const weak = await acceptInvitationAsNewUserAction({ token: sent.token, name: 'Weak', password: 'password' });
    expect(weak.ok).toBe(false);
    if (!weak.ok) {
      expect(weak.error.fieldErrors?.password?.[0]).toMatch(/too common/);
      expect(JSON.stringify(weak.error)).not.toContain(':"password"');
    }
    const same = await acceptInvitationAsNewUserAction({ token: sent.token, name: 'Same', password: email });
    expect(same.ok).toBe(false);
    expect((await getInvitationByToken(sent.token)).email).toBe(email);
  });

  it('a session signed out elsewhere, or opened by another organization’s SSO, cannot accept; nothing changes', async () => {
    const org = await createTestOrg();
    const other = await createTestOrg();
    await (await getOwnerDb())
      .update(users)
      .set({ emailVerifiedAt: new Date() })
      .where(eq(users.id, other.owner.userId));
    const sent = await invite(org, other.owner.email, 'member');
    const sessionId = await startSession(other.owner.userId);
    await endSession(sessionId);
    const revoked = await runWithSession({ ...other.owner, sessionId }, () =>
      acceptInvitationAction({ token: sent.token }),
    );
    expect(revoked).toMatchObject({ ok: false, error: { code: 'UNAUTHENTICATED' } });
    expect(await membershipOf(org.org.id, other.owner.userId)).toBeNull();
    // A session opened by their organization's single sign-on opens that organization only: it
    // may not accept an invitation to another (a password sign-in may).
    const sso = await startSession(other.owner.userId, { ssoOrgId: other.org.id });
    const scoped = await runWithSession({ ...other.owner, sessionId: sso }, () =>
      acceptInvitationAction({ token: sent.token }),
    );
    expect(scoped).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN', message: expect.stringContaining('sign in with your email and password') },
    });
    expect(await membershipOf(org.org.id, other.owner.userId)).toBeNull();
    // The same person with a live session may.
    const live = await startSession(other.owner.userId);
    const accepted = await runWithSession({ ...other.owner, sessionId: live }, () =>
      acceptInvitationAction({ token: sent.token }),
    );
    expect(accepted.ok).toBe(true);
  });

  it('an existing account accepts while signed in as the invited email, and only then', async () => {
    const org = await createTestOrg();
    const other = await createTestOrg();
    // A verified account (an unverified one is claimed by the invitee: account-recovery tests).
    await (await getOwnerDb())
      .update(users)
      .set({ emailVerifiedAt: new Date() })
      .where(eq(users.id, other.owner.userId));
    const sent = await invite(org, other.owner.email, 'member');
    expect((await getInvitationByToken(sent.token)).accountExists).toBe(true);

    // A new-account accept for an email that has an account is refused.
    const asNew = await acceptInvitationAsNewUserAction({ token: sent.token, name: 'Dup', password: TEST_PASSWORD });
    expect(asNew.ok).toBe(false);
    if (!asNew.ok) expect(asNew.error.message).toMatch(/already exists\. Sign in/);

    const stranger = await createTestOrg();
    const wrong = await runWithSession(stranger.owner, () => acceptInvitationAction({ token: sent.token }));
    expect(wrong.ok).toBe(false);
    if (!wrong.ok) expect(wrong.error).toMatchObject({ code: 'FORBIDDEN', message: expect.stringContaining(other.owner.email) });
    const anonymous = await runWithSession(null, () => acceptInvitationAction({ token: sent.token }));
    expect(anonymous.ok).toBe(false);
    if (!anonymous.ok) expect(anonymous.error.code).toBe('UNAUTHENTICATED');
    expect(await membershipOf(org.org.id, stranger.owner.userId)).toBeNull();

    const right = await runWithSession(other.owner, () => acceptInvitationAction({ token: sent.token }));
    expect(right).toEqual({ ok: true, data: { orgSlug: org.org.slug, email: other.owner.email } });
    expect(await membershipOf(org.org.id, other.owner.userId)).toEqual({ role: 'member', homeUnitId: org.rootUnitId });
    // Still the owner of their own organization.
    expect(await membershipOf(other.org.id, other.owner.userId)).toMatchObject({ role: 'owner' });
  });

  describe.runIf(realPostgres)('on a real server', () => {
    it('concurrent accepts of one token give exactly one membership', async () => {
      const org = await createTestOrg();
      const email = newEmail('race');
      const sent = await invite(org, email);
      const results = await Promise.all(
        Array.from({ length: 6 }, (_, i) =>
          acceptInvitationAsNewUserAction({ token: sent.token, name: `Racer ${i}`, password: TEST_PASSWORD }),
        ),
      );
      expect(results.filter((r) => r.ok)).toHaveLength(1);
      for (const r of results.filter((x) => !x.ok)) {
        expect(r.ok ? null : r.error.code).toBe('CONFLICT');
      }
      const db = await getOwnerDb();
      const joined = await db
        .select({ userId: memberships.userId })
        .from(memberships)
        .innerJoin(users, eq(users.id, memberships.userId))
        .where(and(eq(memberships.orgId, org.org.id), eq(users.email, email)));
      expect(joined).toHaveLength(1);
      expect(await db.select().from(users).where(eq(users.email, email))).toHaveLength(1);
    });

    it('concurrent accepts by the signed-in invitee give exactly one membership', async () => {
      const org = await createTestOrg();
      const other = await createTestOrg();
      const sent = await invite(org, other.owner.email);
      const results = await Promise.all(
        Array.from({ length: 4 }, () => runWithSession(other.owner, () => acceptInvitationAction({ token: sent.token }))),
      );
      expect(results.filter((r) => r.ok)).toHaveLength(1);
      expect(await membershipOf(org.org.id, other.owner.userId)).toMatchObject({ role: 'member' });
    });
  });
});

describe('who may manage people', () => {
  it('a member cannot invite, and nothing changes', async () => {
    const org = await createTestOrg();
    const member = await addTestMember(org.org.id, { role: 'member', homeUnitId: org.rootUnitId });
    const before = await orgState(org.org.id);
    const result = await runWithSession(member, () =>
      inviteMemberAction(org.org.slug, { email: newEmail(), role: 'member', homeUnitId: org.rootUnitId }),
    );
    expect(result).toEqual({ ok: false, error: { code: 'FORBIDDEN', message: 'You do not have permission to do that.' } });
    const attempts: (() => Promise<Result<unknown>>)[] = [
      () => changeMemberRoleAction(org.org.slug, { userId: org.owner.userId, role: 'member' }),
      () => removeMemberAction(org.org.slug, { userId: org.owner.userId }),
      () => changeHomeUnitAction(org.org.slug, { userId: member.userId, homeUnitId: org.rootUnitId }),
      () => transferOwnershipAction(org.org.slug, { userId: member.userId }),
    ];
    for (const attempt of attempts) {
      const denied = await runWithSession(member, attempt);
      expect(denied.ok ? 'ok' : denied.error.code).toBe('FORBIDDEN');
    }
    expect(await orgState(org.org.id)).toEqual(before);
  });

  it('an admin manages members but cannot change or remove the owner', async () => {
    const org = await createTestOrg();
    const admin = await addTestMember(org.org.id, { role: 'admin', homeUnitId: org.rootUnitId });
    const member = await addTestMember(org.org.id, { role: 'member', homeUnitId: org.rootUnitId });
    const before = await orgState(org.org.id);
    const attempts: (() => Promise<Result<unknown>>)[] = [
      () => changeMemberRoleAction(org.org.slug, { userId: org.owner.userId, role: 'member' }),
      () => removeMemberAction(org.org.slug, { userId: org.owner.userId }),
      () => transferOwnershipAction(org.org.slug, { userId: admin.userId }),
    ];
    for (const attempt of attempts) {
      const denied = await runWithSession(admin, attempt);
      expect(denied.ok ? 'ok' : denied.error.code).toBe('FORBIDDEN');
    }
    expect(await orgState(org.org.id)).toEqual(before);

    const promoted = await runWithSession(admin, () =>
      changeMemberRoleAction(org.org.slug, { userId: member.userId, role: 'admin' }),
    );
    expect(promoted).toEqual({ ok: true, data: { changed: true } });
    expect((await runWithSession(member, () => resolveOrgContext(org.org.slug))).actor.role).toBe('admin');
    const demoted = await runWithSession(admin, () =>
      changeMemberRoleAction(org.org.slug, { userId: member.userId, role: 'member' }),
    );
    expect(demoted.ok).toBe(true);
    // The change applies to the person's very next request.
    expect((await runWithSession(member, () => resolveOrgContext(org.org.slug))).actor.role).toBe('member');
    const db = await getOwnerDb();
    const audits = await db
      .select({ action: auditLog.action, before: auditLog.before, after: auditLog.after })
      .from(auditLog)
      .where(and(eq(auditLog.orgId, org.org.id), eq(auditLog.action, 'member.role_change')))
      .orderBy(auditLog.id);
    expect(audits).toEqual([
      { action: 'member.role_change', before: { role: 'member' }, after: { role: 'admin' } },
      { action: 'member.role_change', before: { role: 'admin' }, after: { role: 'member' } },
    ]);
  });

  it('the owner can never be removed or demoted, not even by themselves', async () => {
    const org = await createTestOrg();
    await addTestMember(org.org.id, { role: 'admin', homeUnitId: org.rootUnitId });
    const before = await orgState(org.org.id);
    const removed = await runWithSession(org.owner, () => removeMemberAction(org.org.slug, { userId: org.owner.userId }));
    expect(removed.ok).toBe(false);
    if (!removed.ok) expect(removed.error.message).toMatch(/Transfer ownership/);
    const demoted = await runWithSession(org.owner, () =>
      changeMemberRoleAction(org.org.slug, { userId: org.owner.userId, role: 'admin' }),
    );
    expect(demoted.ok).toBe(false);
    if (!demoted.ok) expect(demoted.error.code).toBe('VALIDATION');
    const toOwner = await runWithSession(org.owner, () =>
      changeMemberRoleAction(org.org.slug, { userId: org.owner.userId, role: 'owner' as 'admin' }),
    );
    expect(toOwner.ok).toBe(false);
    expect(await orgState(org.org.id)).toEqual(before);
  });

  it('transfer: the target becomes owner, the old owner an admin, one owner throughout', async () => {
    const org = await createTestOrg();
    const member = await addTestMember(org.org.id, { role: 'member', homeUnitId: org.rootUnitId });
    const self = await runWithSession(org.owner, () => transferOwnershipAction(org.org.slug, { userId: org.owner.userId }));
    expect(self.ok).toBe(false);
    const done = await runWithSession(org.owner, () => transferOwnershipAction(org.org.slug, { userId: member.userId }));
    expect(done).toEqual({ ok: true, data: { ownerUserId: member.userId } });
    expect(await membershipOf(org.org.id, member.userId)).toMatchObject({ role: 'owner' });
    expect(await membershipOf(org.org.id, org.owner.userId)).toMatchObject({ role: 'admin' });
    const state = await orgState(org.org.id);
    expect(state.members.filter((m) => m.role === 'owner')).toHaveLength(1);
    // The former owner is now an admin: no more transfers, and hands off the new owner.
    const again = await runWithSession(org.owner, () => transferOwnershipAction(org.org.slug, { userId: org.owner.userId }));
    expect(again.ok ? 'ok' : again.error.code).toBe('FORBIDDEN');
    const touchOwner = await runWithSession(org.owner, () => removeMemberAction(org.org.slug, { userId: member.userId }));
    expect(touchOwner.ok ? 'ok' : touchOwner.error.code).toBe('FORBIDDEN');
    // The new owner can hand it back.
    const back = await runWithSession(member, () => transferOwnershipAction(org.org.slug, { userId: org.owner.userId }));
    expect(back.ok).toBe(true);
    expect(await membershipOf(org.org.id, org.owner.userId)).toMatchObject({ role: 'owner' });
  });

  it('changes a home unit; another organization\'s unit is refused like a missing one', async () => {
    const org = await createTestOrg();
    const other = await createTestOrg();
    const member = await addTestMember(org.org.id, { role: 'member', homeUnitId: org.rootUnitId });
    const dept = await addUnit(org.org.id, org.rootUnitId);
    const moved = await runWithSession(org.owner, () =>
      changeHomeUnitAction(org.org.slug, { userId: member.userId, homeUnitId: dept }),
    );
    expect(moved).toEqual({ ok: true, data: { changed: true } });
    expect(await membershipOf(org.org.id, member.userId)).toMatchObject({ homeUnitId: dept });
    const before = await orgState(org.org.id);
    const foreign = await runWithSession(org.owner, () =>
      changeHomeUnitAction(org.org.slug, { userId: member.userId, homeUnitId: other.rootUnitId }),
    );
    const missing = await runWithSession(org.owner, () =>
      changeHomeUnitAction(org.org.slug, { userId: member.userId, homeUnitId: randomUUID() }),
    );
    expect(foreign.ok).toBe(false);
    expect(foreign).toEqual(missing);
    const foreignInvite = await runWithSession(org.owner, () =>
      inviteMemberAction(org.org.slug, { email: newEmail(), role: 'member', homeUnitId: other.rootUnitId }),
    );
    const missingInvite = await runWithSession(org.owner, () =>
      inviteMemberAction(org.org.slug, { email: newEmail(), role: 'member', homeUnitId: randomUUID() }),
    );
    expect(foreignInvite.ok).toBe(false);
    expect(foreignInvite).toEqual(missingInvite);
    expect(await orgState(org.org.id)).toEqual(before);
  });

  it('lists home-unit options in tree order; a unit under an archived one starts a tree after the company', async () => {
    const org = await createTestOrg({ name: 'Options Co' });
    const db = await getOwnerDb();
    const beta = await addUnit(org.org.id, org.rootUnitId, 'Beta');
    const alpha = await addUnit(org.org.id, org.rootUnitId, 'Alpha');
    await addUnit(org.org.id, alpha, 'Alpha East');
    const gone = await addUnit(org.org.id, org.rootUnitId, 'Gone');
    const orphan = await addUnit(org.org.id, gone, 'Orphan');
    await addUnit(org.org.id, orphan, 'Orphan Child');
    await addUnit(org.org.id, beta, 'Beta North');
    await db.update(units).set({ sortOrder: -1 }).where(eq(units.id, orphan));
    await db.update(units).set({ archivedAt: sql`now()` }).where(eq(units.id, gone));
    const ctx = await runWithSession(org.owner, () => resolveOrgContext(org.org.slug));
    const options = await listHomeUnitOptions(ctx);
    expect(options.map((o) => [o.name, o.depth])).toEqual([
      ['Options Co', 0],
      ['Alpha', 1],
      ['Alpha East', 2],
      ['Beta', 1],
      ['Beta North', 2],
      ['Orphan', 0],
      ['Orphan Child', 1],
    ]);
    expect(options[0]).toEqual({ id: org.rootUnitId, name: 'Options Co', kind: 'company', depth: 0 });
  });

  it("member choice: a member's name and e-mail; another organization's member is null like a random id", async () => {
    const org = await createTestOrg();
    const other = await createTestOrg();
    const mia = await addTestMember(org.org.id, { role: 'member', homeUnitId: org.rootUnitId, name: 'Mia Lead' });
    const elsewhere = await addTestMember(other.org.id, {
      role: 'member',
      homeUnitId: other.rootUnitId,
      name: 'Elsewhere',
    });
    const ctx = await runWithSession(org.owner, () => resolveOrgContext(org.org.slug));
    expect(await getMemberChoice(ctx, mia.userId)).toEqual({ userId: mia.userId, name: 'Mia Lead', email: mia.email });
    expect(await getMemberChoice(ctx, elsewhere.userId)).toBeNull();
    expect(await getMemberChoice(ctx, randomUUID())).toBeNull();
  });

  it('unit tree: each unit counts the members at home there, never another organization\'s', async () => {
    const org = await createTestOrg();
    const other = await createTestOrg();
    const sales = await addUnit(org.org.id, org.rootUnitId, 'Sales');
    const empty = await addUnit(org.org.id, org.rootUnitId, 'Empty');
    for (let i = 0; i < 3; i += 1) await addTestMember(org.org.id, { role: 'member', homeUnitId: sales });
    await addTestMember(other.org.id, { role: 'member', homeUnitId: other.rootUnitId });
    const ctx = await runWithSession(org.owner, () => resolveOrgContext(org.org.slug));
    const counts = new Map((await getUnitTree(ctx)).units.map((u) => [u.id, u.memberCount]));
    expect(counts.get(sales)).toBe(3);
    expect(counts.get(empty)).toBe(0);
    expect(counts.get(org.rootUnitId)).toBe(1); // the owner
    expect(counts.has(other.rootUnitId)).toBe(false);
  });

  it('members page: only the page is read, in the list order, searched by every word in name or email', async () => {
    const org = await createTestOrg();
    const other = await createTestOrg();
    const dept = await addUnit(org.org.id, org.rootUnitId, 'Sales');
    // Names of letters no test email holds (member-<hex>@example.test), so a search for them
    // never matches an email by chance: Person gg, Person gh, ... Person hy, in this order.
    const LETTERS = 'ghijknoquvwy';
    const code = (i: number) => `${LETTERS[Math.floor(i / 12)]}${LETTERS[i % 12]}`;
    const people: Awaited<ReturnType<typeof addTestMember>>[] = [];
    for (let i = 0; i < 24; i += 1) {
      const name = `Person ${code(i)}${i === 6 ? ' 50%_off' : ''}`;
      people.push(await addTestMember(org.org.id, { role: 'member', homeUnitId: dept, name }));
    }
    const admin = await addTestMember(org.org.id, { role: 'admin', homeUnitId: dept, name: 'Zed Admin' });
    await makeLead(org.org.id, dept, people[11]!.userId);
    await addTestMember(other.org.id, { role: 'member', homeUnitId: other.rootUnitId, name: 'Person zz' });
    const ctx = await runWithSession(org.owner, () => resolveOrgContext(org.org.slug));
    const names = (rows: { name: string }[]) => rows.map((r) => r.name);
    const persons = (from: number, to: number) =>
      Array.from({ length: to - from }, (_, k) => `Person ${code(from + k)}${from + k === 6 ? ' 50%_off' : ''}`);

    // 26 members: the owner, the admin, then the 24 by name; 10 a page.
    const first = await listMembersPage(ctx, { page: 1 }, 10);
    expect(first).toMatchObject({ total: 26, matched: 26, page: 1, pages: 3, first: 0 });
    expect(first.rows.map((r) => r.role).slice(0, 3)).toEqual(['owner', 'admin', 'member']);
    expect(first.rows[1]).toMatchObject({ userId: admin.userId, homeUnitName: 'Sales' });
    expect(names(first.rows).slice(2)).toEqual(persons(0, 8));
    const second = await listMembersPage(ctx, { page: 2 }, 10);
    expect(names(second.rows)).toEqual(persons(8, 18));
    // Only the page's people are read with their led units: people[11] leads Sales.
    expect(second.rows.find((r) => r.userId === people[11]!.userId)?.ledUnits).toEqual([
      { id: dept, name: 'Sales' },
    ]);
    expect(second.rows.filter((r) => r.ledUnits.length > 0)).toHaveLength(1);
    // A page past the last reads as the last.
    const past = await listMembersPage(ctx, { page: 9 }, 10);
    expect(past).toMatchObject({ page: 3, pages: 3, first: 20 });
    expect(names(past.rows)).toEqual(persons(18, 24));

    // Any case; every word, each in the name or the email; 'Person zz' is another org's.
    const byName = await listMembersPage(ctx, { q: 'PERSON H', page: 1 }, 10);
    expect(byName).toMatchObject({ total: 26, matched: 13, pages: 2 }); // gh, hg to hy
    expect(names(byName.rows)[0]).toBe('Person gh');
    const local = people[4]!.email.split('@')[0]!;
    const byEmail = await listMembersPage(ctx, { q: people[4]!.email.toUpperCase(), page: 1 }, 10);
    expect(names(byEmail.rows)).toEqual(['Person gk']);
    expect(names((await listMembersPage(ctx, { q: `gk ${local}`, page: 1 }, 10)).rows)).toEqual([
      'Person gk',
    ]);
    expect((await listMembersPage(ctx, { q: `gn ${local}`, page: 1 }, 10)).matched).toBe(0);
    // What is typed is never a wildcard.
    expect(names((await listMembersPage(ctx, { q: '50%_', page: 1 }, 10)).rows)).toEqual([
      'Person go 50%_off',
    ]);
    expect((await listMembersPage(ctx, { q: 'person%', page: 1 }, 10)).matched).toBe(0);
    expect(await listMembersPage(ctx, { q: 'person zz', page: 3 }, 10)).toEqual({
      rows: [],
      total: 26,
      matched: 0,
      page: 1,
      pages: 1,
      first: 0,
    });

    // The pickers' search: the same rule, by name, with the email, the first `limit` of all.
    const found = await searchMemberNames(ctx, 'person g', 3);
    expect(found.total).toBe(13); // gg to gy, and hg
    expect(found.hits).toEqual(
      people.slice(0, 3).map((p, i) => ({ userId: p.userId, name: `Person ${code(i)}`, email: p.email })),
    );
    expect((await searchMemberNames(ctx, people[4]!.email, 5)).hits.map((h) => h.name)).toEqual([
      'Person gk',
    ]);
    expect(await searchMemberNames(ctx, 'person zz', 5)).toEqual({ total: 0, hits: [] });
    // One person left out (the owner, for the transfer picker): out of the hits and the count.
    const without = await searchMemberNames(ctx, 'person g', 3, people[0]!.userId);
    expect(without.total).toBe(12);
    expect(without.hits.map((h) => h.userId)).toEqual(people.slice(1, 4).map((p) => p.userId));
  });

  it("another organization's member or invitation gives NOT_FOUND exactly like a random id", async () => {
    const org = await createTestOrg();
    const other = await createTestOrg();
    const foreignMember = await addTestMember(other.org.id, { role: 'member', homeUnitId: other.rootUnitId });
    const foreignInvite = await invite(other, newEmail());
    const before = { mine: await orgState(org.org.id), theirs: await orgState(other.org.id) };
    const cases: [string, (id: string) => Promise<unknown>][] = [
      ['role', (id) => changeMemberRoleAction(org.org.slug, { userId: id, role: 'admin' })],
      ['home unit', (id) => changeHomeUnitAction(org.org.slug, { userId: id, homeUnitId: org.rootUnitId })],
      ['remove', (id) => removeMemberAction(org.org.slug, { userId: id })],
      ['transfer', (id) => transferOwnershipAction(org.org.slug, { userId: id })],
    ];
    for (const [label, call] of cases) {
      const foreign = await runWithSession(org.owner, () => call(foreignMember.userId));
      const random = await runWithSession(org.owner, () => call(randomUUID()));
      expect(foreign, label).toEqual({ ok: false, error: { code: 'NOT_FOUND', message: 'Not found.' } });
      expect(random, label).toEqual(foreign);
    }
    const revokeForeign = await runWithSession(org.owner, () =>
      revokeInvitationAction(org.org.slug, { invitationId: foreignInvite.invitationId }),
    );
    const revokeRandom = await runWithSession(org.owner, () =>
      revokeInvitationAction(org.org.slug, { invitationId: randomUUID() }),
    );
    expect(revokeForeign).toEqual({ ok: false, error: { code: 'NOT_FOUND', message: 'Not found.' } });
    expect(revokeRandom).toEqual(revokeForeign);
    expect({ mine: await orgState(org.org.id), theirs: await orgState(other.org.id) }).toEqual(before);
  });
});

describe('removing a member', () => {
  it('clears their KPI ownerships and unit leads; their next request is NOT_FOUND', async () => {
    const org = await createTestOrg();
    const dept = await addUnit(org.org.id, org.rootUnitId);
    const member = await addTestMember(org.org.id, { role: 'member', homeUnitId: dept });
    const bystander = await addTestMember(org.org.id, { role: 'member', homeUnitId: dept });
    await makeLead(org.org.id, dept, member.userId);
    const owned = await addKpi(org.org.id, dept, member.userId);
    const othersKpi = await addKpi(org.org.id, dept, bystander.userId);
    expect((await runWithSession(member, () => resolveOrgContext(org.org.slug))).actor.ledUnitIds).toEqual([dept]);

    const result = await runWithSession(org.owner, () => removeMemberAction(org.org.slug, { userId: member.userId }));
    expect(result).toEqual({ ok: true, data: { userId: member.userId } });

    await expect(runWithSession(member, () => resolveOrgContext(org.org.slug))).rejects.toMatchObject({
      code: 'NOT_FOUND',
      message: 'Not found.',
    });
    const denied = await runWithSession(member, () =>
      changeHomeUnitAction(org.org.slug, { userId: member.userId, homeUnitId: org.rootUnitId }),
    );
    expect(denied).toEqual({ ok: false, error: { code: 'NOT_FOUND', message: 'Not found.' } });
    const db = await getOwnerDb();
    const [kpiRow] = await db.select({ owner: kpis.ownerUserId, version: kpis.version }).from(kpis).where(eq(kpis.id, owned));
    expect(kpiRow).toEqual({ owner: null, version: 2 });
    const [kept] = await db.select({ owner: kpis.ownerUserId }).from(kpis).where(eq(kpis.id, othersKpi));
    expect(kept?.owner).toBe(bystander.userId);
    const [unit] = await db.select({ lead: units.leadUserId }).from(units).where(eq(units.id, dept));
    expect(unit?.lead).toBeNull();
    // The account itself stays (it may belong to other organizations).
    expect(await db.select({ id: users.id }).from(users).where(eq(users.id, member.userId))).toHaveLength(1);
    const [audit] = await db
      .select({ before: auditLog.before, after: auditLog.after })
      .from(auditLog)
      .where(and(eq(auditLog.orgId, org.org.id), eq(auditLog.action, 'member.remove')));
    expect(audit).toMatchObject({
      before: { role: 'member', homeUnitId: dept, ownedKpiIds: [owned], ledUnitIds: [dept] },
      after: null,
    });
    // Removing again: the person is gone, like any unknown id.
    const twice = await runWithSession(org.owner, () => removeMemberAction(org.org.slug, { userId: member.userId }));
    expect(twice.ok ? 'ok' : twice.error.code).toBe('NOT_FOUND');
  });

  it('refuses while the person owns individual KPIs, and changes nothing', async () => {
    const org = await createTestOrg();
    const member = await addTestMember(org.org.id, { role: 'member', homeUnitId: org.rootUnitId });
    await addKpi(org.org.id, org.rootUnitId, member.userId, true);
    await addKpi(org.org.id, org.rootUnitId, member.userId, false);
    const before = await orgState(org.org.id);
    const result = await runWithSession(org.owner, () => removeMemberAction(org.org.slug, { userId: member.userId }));
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error).toMatchObject({ code: 'CONFLICT', message: expect.stringMatching(/1 individual KPI\b/) });
    expect(await orgState(org.org.id)).toEqual(before);
  });

  it('an admin may remove another admin and themselves', async () => {
    const org = await createTestOrg();
    const admin = await addTestMember(org.org.id, { role: 'admin', homeUnitId: org.rootUnitId });
    const admin2 = await addTestMember(org.org.id, { role: 'admin', homeUnitId: org.rootUnitId });
    expect((await runWithSession(admin, () => removeMemberAction(org.org.slug, { userId: admin2.userId }))).ok).toBe(true);
    expect((await runWithSession(admin, () => removeMemberAction(org.org.slug, { userId: admin.userId }))).ok).toBe(true);
    const state = await orgState(org.org.id);
    expect(state.members).toEqual([{ userId: org.owner.userId, role: 'owner', homeUnitId: org.rootUnitId }]);
  });
});
