import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { getOwnerDb } from '@/db/client';
import { apiKeys, memberships } from '@/db/schema';
import { createApiKeyAction } from '@/lib/actions/api-keys';
import { signOutEverywhereAction } from '@/lib/actions/auth';
import { changeMemberRoleAction, removeMemberAction } from '@/lib/actions/people';
import { runWithSession, type SessionClaims } from '@/lib/auth/session';
import { authenticateApiKey } from '@/lib/dal/api-keys/authenticate';
import { getActiveUser } from '@/lib/dal/accounts';
import { endSession, startSession } from '@/lib/dal/sessions';
import { resolveOrgContext } from '@/lib/server/org-context';
import { must } from './cascade-helpers';
import { addTestMember, createTestOrg } from './factories';

/** A browser session for this person, as the sign-in callback starts one. */
async function browserSession(person: SessionClaims): Promise<SessionClaims> {
  return {
    userId: person.userId,
    sessionVersion: person.sessionVersion,
    sessionId: await startSession(person.userId),
  };
}

describe('API keys of a demoted or removed admin', () => {
  it('are revoked for good: promoting the admin again does not revive them', async () => {
    const { org, owner, rootUnitId } = await createTestOrg();
    const admin = await addTestMember(org.id, { role: 'admin', homeUnitId: rootUnitId });
    const key = await runWithSession(admin, async () =>
      must(await createApiKeyAction(org.slug, { name: 'admin key', scope: 'read' })),
    );
    expect(await authenticateApiKey(key.secret)).not.toBeNull();
    await runWithSession(owner, async () =>
      must(await changeMemberRoleAction(org.slug, { userId: admin.userId, role: 'member' })),
    );
    expect(await authenticateApiKey(key.secret)).toBeNull();
    await runWithSession(owner, async () =>
      must(await changeMemberRoleAction(org.slug, { userId: admin.userId, role: 'admin' })),
    );
    expect(await authenticateApiKey(key.secret)).toBeNull();
    const db = await getOwnerDb();
    const [row] = await db
      .select({ revokedAt: apiKeys.revokedAt })
      .from(apiKeys)
      .where(eq(apiKeys.id, key.key.id));
    expect(row?.revokedAt).toBeInstanceOf(Date);
    // The owner's own keys are untouched by a role change of someone else.
    const ownerKey = await runWithSession(owner, async () =>
      must(await createApiKeyAction(org.slug, { name: 'owner key', scope: 'read' })),
    );
    await runWithSession(owner, async () =>
      must(await changeMemberRoleAction(org.slug, { userId: admin.userId, role: 'member' })),
    );
    expect(await authenticateApiKey(ownerKey.secret)).not.toBeNull();
  });

  it('are revoked when the admin is removed, and stay revoked if they are added back', async () => {
    const { org, owner, rootUnitId } = await createTestOrg();
    const admin = await addTestMember(org.id, { role: 'admin', homeUnitId: rootUnitId });
    const key = await runWithSession(admin, async () =>
      must(await createApiKeyAction(org.slug, { name: 'admin key', scope: 'write' })),
    );
    await runWithSession(owner, async () =>
      must(await removeMemberAction(org.slug, { userId: admin.userId })),
    );
    const db = await getOwnerDb();
    await db
      .insert(memberships)
      .values({ orgId: org.id, userId: admin.userId, role: 'admin', homeUnitId: rootUnitId });
    expect(await authenticateApiKey(key.secret)).toBeNull();
  });
});

describe('sessions end at the next request', () => {
  it('sign-out ends that session only', async () => {
    const { org, owner } = await createTestOrg();
    const laptop = await browserSession(owner);
    const phone = await browserSession(owner);
    expect((await runWithSession(laptop, () => resolveOrgContext(org.slug))).org.id).toBe(org.id);
    await endSession(laptop.sessionId!);
    await expect(runWithSession(laptop, () => resolveOrgContext(org.slug))).rejects.toMatchObject({
      code: 'UNAUTHENTICATED',
    });
    expect(await getActiveUser(laptop)).toBeNull();
    expect((await runWithSession(phone, () => resolveOrgContext(org.slug))).org.id).toBe(org.id);
  });

  it('"sign out everywhere" ends every session of the person, and no one else\'s', async () => {
    const { org, owner, rootUnitId } = await createTestOrg();
    const colleague = await browserSession(
      await addTestMember(org.id, { role: 'member', homeUnitId: rootUnitId }),
    );
    const laptop = await browserSession(owner);
    const phone = await browserSession(owner);
    must(await runWithSession(laptop, () => signOutEverywhereAction()));
    for (const session of [laptop, phone]) {
      await expect(
        runWithSession(session, () => resolveOrgContext(org.slug)),
      ).rejects.toMatchObject({
        code: 'UNAUTHENTICATED',
      });
    }
    expect((await runWithSession(colleague, () => resolveOrgContext(org.slug))).org.id).toBe(
      org.id,
    );
    // A new sign-in works as ever.
    const again = await browserSession(owner);
    expect((await runWithSession(again, () => resolveOrgContext(org.slug))).org.id).toBe(org.id);
  });

  it('removal from the last organization signs the person out; from one of two it does not', async () => {
    const a = await createTestOrg();
    const b = await createTestOrg();
    const person = await addTestMember(a.org.id, { role: 'member', homeUnitId: a.rootUnitId });
    const db = await getOwnerDb();
    await db
      .insert(memberships)
      .values({ orgId: b.org.id, userId: person.userId, role: 'member', homeUnitId: b.rootUnitId });
    const session = await browserSession(person);
    await runWithSession(a.owner, async () =>
      must(await removeMemberAction(a.org.slug, { userId: person.userId })),
    );
    expect(await getActiveUser(session)).not.toBeNull();
    expect((await runWithSession(session, () => resolveOrgContext(b.org.slug))).org.id).toBe(
      b.org.id,
    );
    await runWithSession(b.owner, async () =>
      must(await removeMemberAction(b.org.slug, { userId: person.userId })),
    );
    expect(await getActiveUser(session)).toBeNull();
  });
});
