/**
 * A further organization created by a signed-in person (the organization switcher): they become
 * its owner with a company root; a taken or malformed slug, a signed-out or stale session and a
 * spent rate limit create nothing; the new organization is walled off from the first one's people.
 */
import { randomUUID } from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { execRows, getOwnerDb } from '@/db/client';
import { auditLog, organizations } from '@/db/schema';
import { runWithSession } from '@/lib/auth/session';
import { ACCOUNT_RATE_LIMITS } from '@/lib/auth/rate-limits';
import { createOrganizationAction } from '@/lib/actions/organizations';
import * as unitActions from '@/lib/actions/units';
import { touchLastOrg } from '@/lib/dal/accounts';
import { getMembershipBySlug } from '@/lib/dal/memberships';
import { runWithClientAddress } from '@/lib/server/client-address';
import { as, must, refused } from './cascade-helpers';
import { addTestMember, createTestOrg } from './factories';

let addressSeq = 0;
function nextAddress(): string {
  addressSeq += 1;
  return `10.88.${Math.floor(Math.random() * 200)}.${addressSeq}`;
}
const from = <T>(fn: () => Promise<T>) => runWithClientAddress(nextAddress(), fn);
const freshSlug = () => `second-${randomUUID().slice(0, 8)}`;

async function orgCount(): Promise<number> {
  const db = await getOwnerDb();
  const [row] = await execRows<{ n: number }>(
    db,
    sql`select count(*)::int as n from organizations`,
  );
  return Number(row!.n);
}

describe('a second organization', () => {
  it('makes the signed-in person its owner, with a company root, audited', async () => {
    const { org: first, owner } = await createTestOrg();
    const slug = freshSlug();
    const created = must(
      await from(() => as(owner, () => createOrganizationAction({ name: 'Second Venture', slug }))),
    );
    expect(created.orgSlug).toBe(slug);
    const found = await getMembershipBySlug(owner, slug);
    expect(found?.org.name).toBe('Second Venture');
    expect(found?.actor.role).toBe('owner');
    // The first organization is untouched, and the person keeps it.
    expect((await getMembershipBySlug(owner, first.slug))?.actor.role).toBe('owner');
    // The new organization is the one they last opened (the layout writes it only when it changes).
    expect(found?.user.lastOrgCurrent).toBe(true);
    expect((await getMembershipBySlug(owner, first.slug))?.user.lastOrgCurrent).toBe(false);
    await touchLastOrg(owner.userId, first.id);
    expect((await getMembershipBySlug(owner, first.slug))?.user.lastOrgCurrent).toBe(true);
    expect((await getMembershipBySlug(owner, slug))?.user.lastOrgCurrent).toBe(false);
    const db = await getOwnerDb();
    const [audit] = await db
      .select({ action: auditLog.action, actor: auditLog.actorUserId })
      .from(auditLog)
      .where(eq(auditLog.orgId, found!.org.id));
    expect(audit).toEqual({ action: 'org.create', actor: owner.userId });
    // They act as its owner at once: a department under its root.
    must(
      await as(owner, () =>
        unitActions.createUnitAction(slug, {
          parentId: found!.actor.homeUnitId,
          kind: 'department',
          name: 'Ops',
        }),
      ),
    );
  });

  it('a member of another organization may create one too; its people see nothing of it', async () => {
    const { org: first, rootUnitId } = await createTestOrg();
    const member = await addTestMember(first.id, { role: 'member', homeUnitId: rootUnitId });
    const colleague = await addTestMember(first.id, { role: 'admin', homeUnitId: rootUnitId });
    const slug = freshSlug();
    must(await from(() => as(member, () => createOrganizationAction({ name: 'Side Co', slug }))));
    expect((await getMembershipBySlug(member, slug))?.actor.role).toBe('owner');
    expect(await getMembershipBySlug(colleague, slug)).toBeNull();
    const denied = refused(
      await as(colleague, () =>
        unitActions.createUnitAction(slug, {
          parentId: rootUnitId,
          kind: 'department',
          name: 'Intruders',
        }),
      ),
    );
    expect(['NOT_FOUND', 'FORBIDDEN']).toContain(denied.code);
  });

  it('a taken, reserved or malformed slug, or no name, creates nothing', async () => {
    const { org: first, owner } = await createTestOrg();
    const before = await orgCount();
    const taken = refused(
      await from(() =>
        as(owner, () => createOrganizationAction({ name: 'Copy', slug: first.slug })),
      ),
    );
    expect(taken.code).toBe('VALIDATION');
    expect(taken.fieldErrors?.slug?.[0]).toMatch(/taken/);
    for (const [input, field] of [
      [{ name: 'Admin Co', slug: 'admin' }, 'slug'],
      [{ name: 'Dash Co', slug: 'a--b' }, 'slug'],
      [{ name: 'Space Co', slug: 'two words' }, 'slug'],
      [{ name: 'Long Co', slug: 'x'.repeat(49) }, 'slug'],
      [{ name: ' ', slug: freshSlug() }, 'name'],
    ] as const) {
      const error = refused(await from(() => as(owner, () => createOrganizationAction(input))));
      expect(error.code).toBe('VALIDATION');
      expect(error.fieldErrors?.[field]?.length).toBeGreaterThan(0);
    }
    expect(await orgCount()).toBe(before);
  });

  it('needs a signed-in person with a current session', async () => {
    const { owner } = await createTestOrg();
    const before = await orgCount();
    const anonymous = refused(
      await from(() =>
        runWithSession(null, () =>
          createOrganizationAction({ name: 'Nobody Co', slug: freshSlug() }),
        ),
      ),
    );
    expect(anonymous.code).toBe('UNAUTHENTICATED');
    const stale = refused(
      await from(() =>
        runWithSession({ ...owner, sessionVersion: owner.sessionVersion + 1 }, () =>
          createOrganizationAction({ name: 'Stale Co', slug: freshSlug() }),
        ),
      ),
    );
    expect(stale.code).toBe('UNAUTHENTICATED');
    expect(await orgCount()).toBe(before);
  });

  it('is rate limited per client address like sign-up', async () => {
    const { owner } = await createTestOrg();
    const address = nextAddress();
    const limit = ACCOUNT_RATE_LIMITS.signUpPerAddress.limit;
    for (let i = 0; i < limit; i += 1) {
      // Refused input counts too.
      await runWithClientAddress(address, () =>
        as(owner, () => createOrganizationAction({ name: 'Probe', slug: 'admin' })),
      );
    }
    const before = await orgCount();
    const limited = refused(
      await runWithClientAddress(address, () =>
        as(owner, () => createOrganizationAction({ name: 'One more', slug: freshSlug() })),
      ),
    );
    expect(limited.code).toBe('RATE_LIMITED');
    expect(await orgCount()).toBe(before);
    must(
      await from(() =>
        as(owner, () => createOrganizationAction({ name: 'Elsewhere', slug: freshSlug() })),
      ),
    );
    const db = await getOwnerDb();
    const mine = await db.select().from(organizations).where(eq(organizations.name, 'One more'));
    expect(mine.filter((o) => o.slug.startsWith('second-'))).toEqual([]);
  });
});
