// The members of one organization (by slug) with what a test session needs of them, read as the
// database owner: the in-process benches run server code as these people (runWithSession).
import { eq } from 'drizzle-orm';
import { getOwnerDb } from '@/db/client';
import { memberships, organizations, users } from '@/db/schema';

export async function listOrgPeople(slug: string) {
  const db = await getOwnerDb();
  return db
    .select({ userId: users.id, sessionVersion: users.sessionVersion, role: memberships.role })
    .from(memberships)
    .innerJoin(organizations, eq(organizations.id, memberships.orgId))
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(eq(organizations.slug, slug));
}
