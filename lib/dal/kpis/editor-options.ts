import { and, asc, eq } from 'drizzle-orm';
import { withOrgRead } from '@/db/client';
import { kpiTargets } from '@/db/schema';
import { normalizeDecimal } from '@/lib/domain/decimal';
import type { KpiSummary } from '@/lib/domain/kpi-summary';
import type { OrgContext } from '@/lib/server/org-context';
import { listUnitOptions, listUnitParents, type UnitOption } from '@/lib/dal/units/refs';

/** What the client-side parent filter (checkKpiLink) needs of every KPI. */
export type LinkCandidate = {
  id: string;
  /** Its key, for formula key completion; null without one. */
  key: string | null;
  name: string;
  unitId: string;
  unitName: string;
  parentId: string | null;
  cadence: KpiSummary['cadence'];
  rollup: KpiSummary['rollup'];
  measureUnit: KpiSummary['measureUnit'];
  currency: string | null;
  isIndividual: boolean;
};

/** What the KPI form picks from up front: units and the unit tree (parent and owner are searched). */
export type KpiFormOptions = {
  units: UnitOption[];
  /** [unitId, parentId] pairs: the unit tree for subtree checks in the browser. */
  unitParents: [string, string | null][];
};

/** A KPI summary as a link candidate (what checkKpiLink and the pickers need of it). */
export function toLinkCandidate(k: LinkCandidate): LinkCandidate {
  return {
    id: k.id,
    key: k.key,
    name: k.name,
    unitId: k.unitId,
    unitName: k.unitName,
    parentId: k.parentId,
    cadence: k.cadence,
    rollup: k.rollup,
    measureUnit: k.measureUnit,
    currency: k.currency,
    isIndividual: k.isIndividual,
  };
}

/**
 * What the KPI create/edit form loads when it opens: the org's units (with whether the actor may
 * write KPIs in each) and the unit tree, a few KB whatever the org's size; the parent and owner
 * pickers search on the server (kpi-parent-search, owner-search). Tenant-scoped.
 */
export async function getKpiFormOptions(ctx: OrgContext): Promise<KpiFormOptions> {
  const [unitRows, parentRows] = await Promise.all([
    listUnitOptions(ctx),
    // Archived units too: a KPI may still sit in one, and subtree checks must see the whole tree.
    listUnitParents(ctx.org.id),
  ]);
  return {
    units: unitRows.map(({ leadUserId: _l, leadName: _n, ...u }) => u),
    unitParents: [...parentRows],
  };
}

/**
 * Per-period target overrides of one KPI, oldest first. The caller has already checked the KPI
 * is visible (getKpiDetail); tenant-scoped by ctx.org.id.
 */
export async function listTargetOverrides(
  ctx: OrgContext,
  kpiId: string,
): Promise<{ periodStart: string; target: string }[]> {
  return withOrgRead(ctx.org.id, async (db) => {
    const rows = await db
      .select({ periodStart: kpiTargets.periodStart, target: kpiTargets.target })
      .from(kpiTargets)
      .where(and(eq(kpiTargets.orgId, ctx.org.id), eq(kpiTargets.kpiId, kpiId)))
      .orderBy(asc(kpiTargets.periodStart));
    return rows.map((r) => ({ periodStart: r.periodStart, target: normalizeDecimal(r.target) }));
  });
}
