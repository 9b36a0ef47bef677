import { eq } from 'drizzle-orm';
import { withOrgRead } from '@/db/client';
import { memberships, users } from '@/db/schema';
import type { PersonRef } from '@/lib/domain/dashboard/types';
import type { OrgContext } from '@/lib/server/org-context';

/**
 * Every member of the org with their home unit's name (from `unitName`), by name. Tenant:
 * ctx.org. No permission check: callers decide who may see the list.
 */
export async function listPeopleRefs(
  ctx: OrgContext,
  unitName: Map<string, string>,
): Promise<PersonRef[]> {
  return withOrgRead(ctx.org.id, async (db) => {
    const rows = await db
      .select({ userId: memberships.userId, name: users.name, homeUnitId: memberships.homeUnitId })
      .from(memberships)
      .innerJoin(users, eq(users.id, memberships.userId))
      .where(eq(memberships.orgId, ctx.org.id))
      .orderBy(users.name);
    return rows.map((r) => ({ ...r, homeUnitName: unitName.get(r.homeUnitId) ?? '' }));
  });
}
