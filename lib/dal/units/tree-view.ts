import { and, count, eq, isNull } from 'drizzle-orm';
import { withOrgRead } from '@/db/client';
import { kpis, memberships } from '@/db/schema';
import type { IndicatorBalance } from '@/lib/domain/kpi-kinds';
import type { UnitKind } from '@/lib/domain/tree';
import type { OrgContext } from '@/lib/server/org-context';
import { listUnitOptions } from './refs';

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
  /** How many of them are leading and lagging indicators. */
  balance: IndicatorBalance;
  /** People whose home unit it is. */
  memberCount: number;
};

export type UnitTreeView = { units: UnitNode[] };

/**
 * The unit tree (not archived) in tree order, with leads, KPI and member counts (a lead is
 * searched among the members by the editor, the members route). Three queries. Tenant-scoped by
 * ctx.org.id; everyone in the org may read it (editing is `units.manage`, checked by the unit
 * actions).
 */
export async function getUnitTree(ctx: OrgContext): Promise<UnitTreeView> {
  return withOrgRead(ctx.org.id, async (db) => {
    const [unitRows, kpiCounts, memberCounts] = await Promise.all([
      listUnitOptions(ctx),
      db
        .select({ unitId: kpis.unitId, indicator: kpis.indicator, n: count() })
        .from(kpis)
        .where(and(eq(kpis.orgId, ctx.org.id), isNull(kpis.archivedOn)))
        .groupBy(kpis.unitId, kpis.indicator),
      db
        .select({ unitId: memberships.homeUnitId, n: count() })
        .from(memberships)
        .where(eq(memberships.orgId, ctx.org.id))
        .groupBy(memberships.homeUnitId),
    ]);
    const balance = new Map<string, IndicatorBalance>();
    for (const r of kpiCounts) {
      const b = balance.get(r.unitId) ?? { leading: 0, lagging: 0 };
      b[r.indicator] += Number(r.n);
      balance.set(r.unitId, b);
    }
    const memberCount = new Map(memberCounts.map((r) => [r.unitId, Number(r.n)] as const));
    return {
      units: unitRows.map((u) => ({
        id: u.id,
        name: u.name,
        kind: u.kind,
        parentId: u.parentId,
        depth: u.depth,
        leadUserId: u.leadUserId,
        leadName: u.leadName,
        kpiCount: (balance.get(u.id)?.leading ?? 0) + (balance.get(u.id)?.lagging ?? 0),
        balance: balance.get(u.id) ?? { leading: 0, lagging: 0 },
        memberCount: memberCount.get(u.id) ?? 0,
      })),
    };
  });
}
