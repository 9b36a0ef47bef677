import { eq } from 'drizzle-orm';
import { getDb } from '@/db/client';
import { units } from '@/db/schema';

/** Parent of every unit of one organization (for subtree checks). Tenant-scoped by orgId. */
export async function listUnitParents(orgId: string): Promise<Map<string, string | null>> {
  const db = await getDb();
  const rows = await db
    .select({ id: units.id, parentId: units.parentId })
    .from(units)
    .where(eq(units.orgId, orgId));
  return new Map(rows.map((r) => [r.id, r.parentId]));
}
