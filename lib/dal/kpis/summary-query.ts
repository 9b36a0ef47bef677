import { aliasedTable, and, eq } from 'drizzle-orm';
import type { Executor } from '@/db/client';
import { kpis, memberships, units, users } from '@/db/schema';
import { can } from '@/lib/authz/can';
import type { OrgContext } from '@/lib/server/org-context';

/*
 * The one query behind every KPI summary (lists, detail, period values, exports), and the
 * visibility rule each of its rows passes before it reaches an actor.
 */

const ownerMembership = aliasedTable(memberships, 'owner_membership');
const ownerUser = aliasedTable(users, 'owner_user');

const summaryColumns = {
  id: kpis.id,
  key: kpis.key,
  name: kpis.name,
  unitId: kpis.unitId,
  unitName: units.name,
  ownerUserId: kpis.ownerUserId,
  ownerName: ownerUser.name,
  ownerHomeUnitId: ownerMembership.homeUnitId,
  parentId: kpis.parentId,
  isIndividual: kpis.isIndividual,
  isNorthStar: kpis.isNorthStar,
  measureUnit: kpis.measureUnit,
  currency: kpis.currency,
  decimals: kpis.decimals,
  direction: kpis.direction,
  cadence: kpis.cadence,
  timeAggregation: kpis.timeAggregation,
  rollup: kpis.rollup,
  formula: kpis.formula,
  formulaInputs: kpis.formulaInputs,
  missingPolicy: kpis.missingPolicy,
  category: kpis.category,
  indicator: kpis.indicator,
  archivedOn: kpis.archivedOn,
  baseline: kpis.baseline,
  defaultTarget: kpis.defaultTarget,
  validMin: kpis.validMin,
  validMax: kpis.validMax,
  description: kpis.description,
  weight: kpis.weight,
  version: kpis.version,
};

type KpiRow = {
  id: string;
  ownerUserId: string | null;
  ownerHomeUnitId: string | null;
  isIndividual: boolean;
  unitId: string;
};

/**
 * The order KPI lists read in: the editors' order, then the name, then the id last, so KPIs of
 * the same order and name (one in each team, say) come back alike whichever plan reads them.
 */
export const KPI_LIST_ORDER = [kpis.sortOrder, kpis.name, kpis.id] as const;

/**
 * The KPIs of one org with their unit, owner and owner's home unit (summary columns plus
 * description and weight), to be narrowed by `.where`/`.orderBy` (KPI_LIST_ORDER). Tenant-scoped by orgId; the
 * caller filters rows with canSeeKpi.
 */
export function summaryQuery(db: Executor, orgId: string) {
  return db
    .select(summaryColumns)
    .from(kpis)
    .innerJoin(units, and(eq(units.orgId, kpis.orgId), eq(units.id, kpis.unitId)))
    .leftJoin(
      ownerMembership,
      and(eq(ownerMembership.orgId, kpis.orgId), eq(ownerMembership.userId, kpis.ownerUserId)),
    )
    .leftJoin(ownerUser, eq(ownerUser.id, kpis.ownerUserId))
    .where(eq(kpis.orgId, orgId))
    .$dynamic();
}

/** True when the actor may see this KPI (individual KPIs: the person, leads above, admins). */
export function canSeeKpi(ctx: OrgContext, row: KpiRow): boolean {
  return can(ctx, 'kpis.read', {
    isIndividual: row.isIndividual,
    ownerUserId: row.ownerUserId,
    ownerHomeUnitId: row.ownerHomeUnitId,
  });
}
