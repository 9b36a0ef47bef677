import { and, eq, isNull } from 'drizzle-orm';
import { withOrgRead } from '@/db/client';
import { units, users } from '@/db/schema';
import { can } from '@/lib/authz/can';
import { inTreeOrder, type UnitKind } from '@/lib/domain/tree';
import type { OrgContext } from '@/lib/server/org-context';

/** An active unit with its lead, as dashboards, reports and pickers list them. */
export type UnitRef = {
  id: string;
  name: string;
  kind: UnitKind;
  parentId: string | null;
  leadUserId: string | null;
  leadName: string | null;
};

/** The org's active units with their leads' names (tenant-scoped; units are visible to every member). */
export async function listUnitRefs(ctx: OrgContext): Promise<UnitRef[]> {
  return withOrgRead(ctx.org.id, async (db) => {
    const rows = await db
      .select({
        id: units.id,
        name: units.name,
        kind: units.kind,
        parentId: units.parentId,
        leadUserId: units.leadUserId,
        leadName: users.name,
        sortOrder: units.sortOrder,
      })
      .from(units)
      .leftJoin(users, eq(users.id, units.leadUserId))
      .where(and(eq(units.orgId, ctx.org.id), isNull(units.archivedAt)))
      .orderBy(units.sortOrder, units.name);
    return rows.map(({ sortOrder: _sortOrder, ...r }) => r);
  });
}

/** Parent of every unit of one organization (for subtree checks). Tenant-scoped by orgId. */
export async function listUnitParents(orgId: string): Promise<Map<string, string | null>> {
  return withOrgRead(orgId, async (db) => {
    const rows = await db
      .select({ id: units.id, parentId: units.parentId })
      .from(units)
      .where(eq(units.orgId, orgId));
    return new Map(rows.map((r) => [r.id, r.parentId]));
  });
}

/** A unit as pickers show it, in tree order, with whether the actor may put KPIs in it. */
export type UnitOption = {
  id: string;
  name: string;
  kind: UnitKind;
  parentId: string | null;
  depth: number;
  canWriteKpis: boolean;
};

/**
 * Units of the org (not archived) in tree order with depth; units whose parent is archived start
 * trees of their own, listed after the company's. Tenant-scoped by ctx.org.id.
 */
export async function listUnitOptions(
  ctx: OrgContext,
): Promise<(UnitOption & { leadUserId: string | null; leadName: string | null })[]> {
  const rows = await listUnitRefs(ctx);
  const rootsFirst = [
    ...rows.filter((r) => r.parentId === null),
    ...rows.filter((r) => r.parentId !== null),
  ];
  return inTreeOrder(rootsFirst).map((row) => ({
    ...row,
    canWriteKpis: can(ctx, 'kpis.write', { unitId: row.id }),
  }));
}
