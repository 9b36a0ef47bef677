import { and, asc, eq } from 'drizzle-orm';
import { withOrgRead } from '@/db/client';
import { kpiTargets, units } from '@/db/schema';
import { can, leadsUnit } from '@/lib/authz/can';
import { normalizeDecimal } from '@/lib/domain/decimal';
import type { KpiSummary } from '@/lib/domain/kpi-summary';
import type { OrgContext } from '@/lib/server/org-context';
import { listMembersByName, listUnitOptions, type UnitOption } from '@/lib/dal/units/refs';

/** A person as owner pickers show them; `assignable` when the actor may make them an owner. */
export type PersonOption = {
  userId: string;
  name: string;
  homeUnitId: string;
  homeUnitName: string;
  assignable: boolean;
};

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

export type KpiEditorOptions = {
  units: UnitOption[];
  people: PersonOption[];
  candidates: LinkCandidate[];
  /** [unitId, parentId] pairs: the unit tree for subtree checks in the browser. */
  unitParents: [string, string | null][];
};

/**
 * Everything the KPI create/edit forms and the re-parent picker need: units (with write
 * permission), people (with whether the actor may assign them) and the visible KPIs as link
 * candidates. `kpis` is the caller's listKpis result (no second KPI query). Tenant-scoped.
 */
export async function getKpiEditorOptions(
  ctx: OrgContext,
  kpis: readonly KpiSummary[],
): Promise<KpiEditorOptions> {
  return withOrgRead(ctx.org.id, async (db) => {
    const [unitRows, peopleRows, parentRows] = await Promise.all([
      listUnitOptions(ctx),
      listMembersByName(db, ctx.org.id),
      // Archived units too: a KPI may still sit in one, and subtree checks must see the whole tree.
      db
        .select({ id: units.id, parentId: units.parentId })
        .from(units)
        .where(eq(units.orgId, ctx.org.id)),
    ]);
    const unitName = new Map(unitRows.map((u) => [u.id, u.name]));
    const isAdmin = can(ctx, 'kpis.read_all');
    return {
      units: unitRows.map(({ leadUserId: _l, leadName: _n, ...u }) => u),
      people: peopleRows.map((p) => ({
        ...p,
        homeUnitName: unitName.get(p.homeUnitId) ?? '',
        assignable: isAdmin || leadsUnit(ctx, p.homeUnitId),
      })),
      candidates: kpis
        .filter((k) => !k.archivedOn)
        .map((k) => ({
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
        })),
      unitParents: parentRows.map((r) => [r.id, r.parentId]),
    };
  });
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
