import { and, count, eq, isNull } from 'drizzle-orm';
import { withOrgRead } from '@/db/client';
import { kpis } from '@/db/schema';
import type { UnitKind } from '@/lib/domain/tree';
import type { OrgContext } from '@/lib/server/org-context';
import { listMembersByName, listUnitOptions } from './refs';

/** A unit as the unit tree editor shows it. */
export type UnitNode = {
  id: string;
  name: string;
  kind: UnitKind;
  parentId: string | null;
  depth: number;
  leadUserId: string | null;
  leadName: string | null;
  /** Active KPIs owned by the unit itself. */
  kpiCount: number;
  /** People whose home unit it is. */
  memberCount: number;
};

export type UnitTreeView = { units: UnitNode[]; people: { userId: string; name: string }[] };

/**
 * The unit tree (not archived) in tree order, with leads, KPI and member counts, and the people
 * who can be made leads. Three queries. Tenant-scoped by ctx.org.id; everyone in the org may read
 * it (editing is `units.manage`, checked by the unit actions).
 */
export async function getUnitTree(ctx: OrgContext): Promise<UnitTreeView> {
  return withOrgRead(ctx.org.id, async (db) => {
    const [unitRows, kpiCounts, people] = await Promise.all([
      listUnitOptions(ctx),
      db
        .select({ unitId: kpis.unitId, n: count() })
        .from(kpis)
        .where(and(eq(kpis.orgId, ctx.org.id), isNull(kpis.archivedOn)))
        .groupBy(kpis.unitId),
      listMembersByName(db, ctx.org.id),
    ]);
    const kpiCount = new Map(kpiCounts.map((r) => [r.unitId, Number(r.n)]));
    const memberCount = new Map<string, number>();
    for (const p of people) memberCount.set(p.homeUnitId, (memberCount.get(p.homeUnitId) ?? 0) + 1);
    return {
      units: unitRows.map((u) => ({
        id: u.id,
        name: u.name,
        kind: u.kind,
        parentId: u.parentId,
        depth: u.depth,
        leadUserId: u.leadUserId,
        leadName: u.leadName,
        kpiCount: kpiCount.get(u.id) ?? 0,
        memberCount: memberCount.get(u.id) ?? 0,
      })),
      people: people.map((p) => ({ userId: p.userId, name: p.name })),
    };
  });
}
