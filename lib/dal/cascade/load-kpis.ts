import { and, eq, sql } from 'drizzle-orm';
import type { Tx } from '@/db/client';
import { kpis } from '@/db/schema';
import type { TimeAggregation } from '@/lib/domain/aggregation';
import type { CascadeKpi } from '@/lib/domain/cascade-compute';
import { normalizeDecimal } from '@/lib/domain/decimal';
import type { Cadence } from '@/lib/domain/periods';
import type { RollupMethod } from '@/lib/domain/rollup';
import { runRows, type Runner } from './runner';
import { inUuids } from './sql-arrays';

/*
 * The KPIs as the cascade reads them: an org's (or some of them), the children of some, and the
 * chains of ancestors a recompute walks. Tenant-scoped by the org id given; no authorization.
 */

/** Columns the cascade reads of a KPI. */
const cascadeKpiColumns = {
  id: kpis.id,
  parentId: kpis.parentId,
  cadence: kpis.cadence,
  timeAggregation: kpis.timeAggregation,
  rollup: kpis.rollup,
  weight: kpis.weight,
  archivedOn: kpis.archivedOn,
};

/** A KPI as the cascade reads it, its weight normalized (the database gives `1.000000`). */
export function toCascadeKpi(row: CascadeKpi): CascadeKpi {
  return { ...row, weight: normalizeDecimal(row.weight) };
}

/** A KPI row as raw SQL gives the cascade columns (snake case, decimals and dates as text). */
export type CascadeKpiRow = {
  id: string;
  parent_id: string | null;
  cadence: Cadence;
  time_aggregation: TimeAggregation;
  rollup: RollupMethod;
  weight: string;
  archived_on: string | null;
};

/** A raw SQL row of the cascade columns as the cascade reads it (see toCascadeKpi). */
export function cascadeKpiFromRow(r: CascadeKpiRow): CascadeKpi {
  return toCascadeKpi({
    id: r.id,
    parentId: r.parent_id,
    cadence: r.cadence,
    timeAggregation: r.time_aggregation,
    rollup: r.rollup,
    weight: String(r.weight),
    archivedOn: r.archived_on === null ? null : String(r.archived_on),
  });
}

/** Loads the KPIs of one org for the cascade (all of them, or those with the given ids). */
export async function loadCascadeKpis(
  tx: Tx,
  orgId: string,
  ids?: readonly string[],
): Promise<CascadeKpi[]> {
  if (ids && ids.length === 0) return [];
  const rows = await tx
    .select(cascadeKpiColumns)
    .from(kpis)
    .where(and(eq(kpis.orgId, orgId), ids ? inUuids(kpis.id, ids) : undefined));
  return rows.map(toCascadeKpi);
}

/** The KPIs of one org whose parent is one of `parentIds`. */
export async function loadChildKpis(
  tx: Tx,
  orgId: string,
  parentIds: readonly string[],
): Promise<CascadeKpi[]> {
  const rows = await tx
    .select(cascadeKpiColumns)
    .from(kpis)
    .where(and(eq(kpis.orgId, orgId), inUuids(kpis.parentId, parentIds)));
  return rows.map(toCascadeKpi);
}

/**
 * The KPIs with the given ids, all their ancestors (`inChain`), and the children of every
 * computing KPI among them (`inChain` false unless also on a chain), in one recursive query.
 */
export async function loadChainsWithChildren(
  tx: Runner,
  orgId: string,
  ids: readonly string[],
): Promise<{ chain: CascadeKpi[]; children: CascadeKpi[] }> {
  const rows = await runRows<CascadeKpiRow & { in_chain: boolean }>(
    tx,
    sql`with recursive chain as (
          select k.id, k.parent_id, k.cadence, k.time_aggregation, k.rollup, k.weight, k.archived_on
            from kpis k where k.org_id = ${orgId}::uuid and ${inUuids(sql`k.id`, ids)}
          union
          select k.id, k.parent_id, k.cadence, k.time_aggregation, k.rollup, k.weight, k.archived_on
            from kpis k join chain c on k.org_id = ${orgId}::uuid and k.id = c.parent_id
        )
        select true as in_chain, id, parent_id, cadence, time_aggregation, rollup,
               weight::text as weight, archived_on::text as archived_on
          from chain
        union all
        select false, k.id, k.parent_id, k.cadence, k.time_aggregation, k.rollup,
               k.weight::text, k.archived_on::text
          from kpis k
         where k.org_id = ${orgId}::uuid
           and k.parent_id in (select id from chain where rollup <> 'manual')`,
  );
  const chain: CascadeKpi[] = [];
  const children: CascadeKpi[] = [];
  for (const r of rows) {
    const kpi = cascadeKpiFromRow(r);
    // postgres.js gives booleans, PGlite too; be lenient with 't'
    if (r.in_chain === true || String(r.in_chain) === 't') chain.push(kpi);
    else children.push(kpi);
  }
  return { chain, children };
}
