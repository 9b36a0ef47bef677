import { and, eq, ilike, inArray, isNull, or } from 'drizzle-orm';
import { withOrgRead } from '@/db/client';
import { kpis, units } from '@/db/schema';
import type { MapKpi, MapSearchHit, MapSlice, MapUnit } from '@/lib/domain/cascade-map';
import { toTreeNode } from '@/lib/domain/kpi-tree-node';
import { ancestorIds } from '@/lib/domain/tree';
import type { UnitKind } from '@/lib/domain/tree';
import { notFoundError } from '@/lib/errors';
import type { OrgContext } from '@/lib/server/org-context';
import { likePattern } from '../search-pattern';
import { listKpis } from './list';
import { canSeeKpi, summaryQuery } from './summary-query';

/** At most this many search results. */
export const MAP_SEARCH_LIMIT = 20;

type UnitRow = { id: string; name: string; kind: UnitKind; parentId: string | null };

/** The org's active units in sort order. Tenant-scoped by orgId; units are visible to every member. */
async function loadUnits(orgId: string): Promise<UnitRow[]> {
  return withOrgRead(orgId, (db) =>
    db
      .select({ id: units.id, name: units.name, kind: units.kind, parentId: units.parentId })
      .from(units)
      .where(and(eq(units.orgId, orgId), isNull(units.archivedAt)))
      .orderBy(units.sortOrder, units.name),
  );
}

/**
 * One branch of the cascade map: `unitId`'s KPIs and its child units; without `unitId`, the
 * first view (the company and its departments open, the units below them closed). Only the KPIs
 * the actor may see (listKpis' rule); driver links only to KPIs the actor may see. NOT_FOUND for a
 * unit of another org, an archived or a missing one. Tenant-scoped by ctx.org.id.
 */
export async function getCascadeMapSlice(ctx: OrgContext, unitId?: string): Promise<MapSlice> {
  const all = await loadUnits(ctx.org.id);
  const childrenOf = new Map<string | null, UnitRow[]>();
  for (const u of all) {
    const list = childrenOf.get(u.parentId) ?? [];
    list.push(u);
    childrenOf.set(u.parentId, list);
  }
  let opened: string[];
  if (unitId) {
    if (!all.some((u) => u.id === unitId)) throw notFoundError();
    opened = [unitId];
  } else {
    const roots = childrenOf.get(null) ?? [];
    opened = [...roots, ...roots.flatMap((r) => childrenOf.get(r.id) ?? [])].map((u) => u.id);
  }
  const openSet = new Set(opened);
  const shown = all.filter(
    (u) => openSet.has(u.id) || (u.parentId !== null && openSet.has(u.parentId)),
  );
  const mapUnits: MapUnit[] = shown.map((u) => ({
    ...u,
    childUnitCount: childrenOf.get(u.id)?.length ?? 0,
  }));
  const summaries = await listKpis(ctx, { unitIds: opened });
  const drivers = await resolveDrivers(
    ctx,
    summaries.flatMap((k) => k.formulaInputs),
  );
  const mapKpis: MapKpi[] = summaries.map((k) => {
    const node = toTreeNode(k, undefined, undefined, undefined, ctx.org.locale);
    return {
      id: k.id,
      key: k.key,
      name: k.name,
      unitId: k.unitId,
      parentId: k.parentId,
      status: node.status,
      pace: k.current.paceProgress,
      valueText: node.valueText,
      targetText: node.targetText,
      ownerName: k.ownerName,
      coverage: node.coverage,
      isNorthStar: k.isNorthStar,
      isFormula: node.isFormula,
      driverIds: [...new Set(k.formulaInputs)]
        .filter((key) => key !== k.key)
        .flatMap((key) => drivers.get(key) ?? []),
    };
  });
  return { units: mapUnits, kpis: mapKpis, opened };
}

/** Ids of the KPIs with these keys that the actor may see, by key. Tenant-scoped by ctx.org.id. */
async function resolveDrivers(ctx: OrgContext, keys: string[]): Promise<Map<string, string>> {
  const wanted = [...new Set(keys)];
  if (wanted.length === 0) return new Map();
  const rows = await withOrgRead(ctx.org.id, (db) =>
    summaryQuery(db, ctx.org.id).where(
      and(eq(kpis.orgId, ctx.org.id), inArray(kpis.key, wanted), isNull(kpis.archivedOn)),
    ),
  );
  return new Map(rows.filter((r) => canSeeKpi(ctx, r) && r.key).map((r) => [r.key!, r.id]));
}

/**
 * KPIs whose name or key contains `query` (case-insensitive), among those the actor may see, at
 * most MAP_SEARCH_LIMIT, each with the path of units down to its own (what the map opens to focus
 * it). Tenant-scoped by ctx.org.id.
 */
export async function searchCascadeMap(ctx: OrgContext, query: string): Promise<MapSearchHit[]> {
  const pattern = likePattern(query.trim());
  const rows = await withOrgRead(ctx.org.id, (db) =>
    summaryQuery(db, ctx.org.id)
      .where(
        and(
          eq(kpis.orgId, ctx.org.id),
          isNull(kpis.archivedOn),
          or(ilike(kpis.name, pattern), ilike(kpis.key, pattern)),
        ),
      )
      .orderBy(kpis.name)
      // Individual KPIs the actor may not see are dropped after the query: read a few more.
      .limit(MAP_SEARCH_LIMIT * 5),
  );
  const hits = rows.filter((r) => canSeeKpi(ctx, r)).slice(0, MAP_SEARCH_LIMIT);
  if (hits.length === 0) return [];
  const all = await loadUnits(ctx.org.id);
  const parents = new Map(all.map((u) => [u.id, u.parentId]));
  return hits.map((r) => ({
    id: r.id,
    key: r.key,
    name: r.name,
    unitName: r.unitName,
    unitPath: [...ancestorIds(r.unitId, parents).reverse(), r.unitId],
  }));
}
