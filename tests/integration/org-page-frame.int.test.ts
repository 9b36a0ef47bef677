import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { getOwnerDb } from '@/db/client';
import { memberships, notifications, organizations, users } from '@/db/schema';
import { readOrgPageFrame } from '@/lib/dal/org-page-frame';
import { getOrgDataVersion } from '@/lib/dal/read-cache';
import { frameDigest } from '@/lib/server/page-cache';
import { addTestMember, createTestOrg, makeLead } from './factories';

// The reads every page of an organization starts with, in one transaction: the membership, the
// switcher's organizations, the bell's unread count and the org's data version.
describe('the page frame', () => {
  it("reads the membership, the person's own organizations and unread count, and the data version", async () => {
    const a = await createTestOrg({ name: `Frame A ${randomUUID().slice(0, 6)}` });
    const b = await createTestOrg({ name: `Frame B ${randomUUID().slice(0, 6)}` });
    const c = await createTestOrg({ name: `Frame C ${randomUUID().slice(0, 6)}` });
    const pat = await addTestMember(a.org.id, { role: 'member', homeUnitId: a.rootUnitId });
    const db = await getOwnerDb();
    await db
      .insert(memberships)
      .values({ orgId: b.org.id, userId: pat.userId, role: 'admin', homeUnitId: b.rootUnitId });
    const note = (orgId: string, recipientUserId: string, subject: string) => ({
      orgId,
      recipientUserId,
      kind: 'checkin_reminder' as const,
      dedupKey: randomUUID(),
      subject,
      body: '',
      link: '/',
      createdAt: new Date(),
    });
    await db.insert(notifications).values([
      note(a.org.id, pat.userId, 'one'),
      note(a.org.id, pat.userId, 'two'),
      // Someone else's, and the same person's in another organization: not this bell's.
      note(a.org.id, a.owner.userId, 'theirs'),
      note(b.org.id, pat.userId, 'elsewhere'),
    ]);

    const frame = await readOrgPageFrame(pat, a.org.slug);
    expect(frame.found?.org.id).toBe(a.org.id);
    expect(frame.found?.actor).toMatchObject({ userId: pat.userId, role: 'member' });
    expect(frame.chrome).toEqual({
      orgs: [
        { slug: a.org.slug, name: a.org.name, role: 'member' },
        { slug: b.org.slug, name: b.org.name, role: 'admin' },
      ],
      unread: 2,
    });
    expect(frame.dataVersion).toBe(await getOrgDataVersion(a.org.id));

    // A write to what dashboards read moves the version the next frame reads.
    await makeLead(a.org.id, a.rootUnitId, pat.userId);
    const after = await readOrgPageFrame(pat, a.org.slug);
    expect(after.dataVersion).not.toBe(frame.dataVersion);
    expect(after.dataVersion).toBe(await getOrgDataVersion(a.org.id));

    // Another organization, a missing one and a stale session: no membership, and nothing of
    // the other organization in the chrome (the caller shows nothing of a refused frame).
    expect((await readOrgPageFrame(pat, b.org.slug)).chrome.unread).toBe(1);
    const other = await readOrgPageFrame(pat, c.org.slug);
    expect(other.found).toBeNull();
    expect(other.chrome.orgs.map((o) => o.slug)).toEqual([a.org.slug, b.org.slug]);
    expect(other.chrome.unread).toBe(0);
    const missing = await readOrgPageFrame(pat, `no-such-${randomUUID().slice(0, 6)}`);
    expect(missing).toMatchObject({ found: null, dataVersion: '0', chrome: { unread: 0 } });
    const stale = await readOrgPageFrame(
      { ...pat, sessionVersion: pat.sessionVersion + 1 },
      a.org.slug,
    );
    expect(stale.found).toBeNull();
  });

  // The page cache (lib/server/page-cache.ts) serves a page again only under the same digest: it
  // must hold still while nothing changes and move with everything a page shows.
  it('has a digest that holds still between reads and moves with every change a page shows', async () => {
    const a = await createTestOrg({ name: `Digest A ${randomUUID().slice(0, 6)}` });
    const b = await createTestOrg({ name: `Digest B ${randomUUID().slice(0, 6)}` });
    const pat = await addTestMember(a.org.id, { role: 'member', homeUnitId: a.rootUnitId });
    const db = await getOwnerDb();
    const digest = async (claims = pat) =>
      frameDigest(claims, await readOrgPageFrame(claims, a.org.slug));
    const seen = [await digest()];
    expect(await digest()).toBe(seen[0]);

    const changes: [string, () => Promise<unknown>][] = [
      [
        'a new notification',
        () =>
          db.insert(notifications).values({
            orgId: a.org.id,
            recipientUserId: pat.userId,
            kind: 'checkin_reminder',
            dedupKey: randomUUID(),
            subject: 'new',
            body: '',
            link: '/',
            createdAt: new Date(),
          }),
      ],
      ['a unit led', () => makeLead(a.org.id, a.rootUnitId, pat.userId)],
      [
        'a role',
        () =>
          db.update(memberships).set({ role: 'admin' }).where(eq(memberships.userId, pat.userId)),
      ],
      [
        'an organization setting',
        () =>
          db.update(organizations).set({ locale: 'de-DE' }).where(eq(organizations.id, a.org.id)),
      ],
      [
        'a name',
        () => db.update(users).set({ name: 'Pat Renamed' }).where(eq(users.id, pat.userId)),
      ],
      [
        'another organization in the switcher',
        () =>
          db.insert(memberships).values({
            orgId: b.org.id,
            userId: pat.userId,
            role: 'member',
            homeUnitId: b.rootUnitId,
          }),
      ],
    ];
    for (const [what, change] of changes) {
      await change();
      const now = await digest();
      expect(seen, what).not.toContain(now);
      seen.push(now);
    }
    // Another session of the same person: a digest of its own.
    expect(await digest({ ...pat, sessionId: randomUUID() })).not.toBe(seen.at(-1));
  });
});
