import { aliasedTable, and, asc, count, eq, isNull, sql } from 'drizzle-orm';
import { withOrgRead } from '@/db/client';
import { kpiPeriodValues, kpis, memberships, units, users } from '@/db/schema';
import { can, leadsUnit } from '@/lib/authz/can';
import { todayInTimeZone } from '@/lib/domain/dates';
import { isRetireCandidate, kpiLimitsOf, overLimit, type KpiLimits } from '@/lib/domain/kpi-limits';
import { periodLabel, periodStart } from '@/lib/domain/periods';
import type { OrgContext } from '@/lib/server/org-context';

/* KPI health: units and people over the limit, and KPIs quiet long enough to retire. */

export type KpiHealth = {
  limits: KpiLimits;
  unitsOverLimit: { unitId: string; unitName: string; count: number }[];
  peopleOverLimit: { userId: string; name: string; count: number }[];
  retireCandidates: {
    id: string;
    name: string;
    unitName: string;
    ownerName: string | null;
    lastValueLabel: string | null;
  }[];
};

/**
 * What the dashboards flag: units with more active KPIs than the limit, people owning more than
 * theirs, and active KPIs with no value for the last three periods (and the current one) that
 * existed all that time. Admins see the whole org; a lead sees their subtree (units in it, people
 * at home in it, KPIs of it they may see); anyone else gets null. Tenant: ctx.org.
 */
export async function getKpiHealth(ctx: OrgContext): Promise<KpiHealth | null> {
  const admin = can(ctx, 'kpis.read_all');
  if (!admin && ctx.actor.ledUnitIds.length === 0) return null;
  const inScope = (unitId: string | null) => admin || leadsUnit(ctx, unitId);
  return withOrgRead(ctx.org.id, async (db) => {
    const limits = kpiLimitsOf(ctx.org);
    const today = todayInTimeZone(ctx.org.timeZone);
    const active = and(eq(kpis.orgId, ctx.org.id), isNull(kpis.archivedOn));
    const ownerMembership = aliasedTable(memberships, 'owner_membership');
    const ownerUser = aliasedTable(users, 'owner_user');

    const [unitRows, personRows, kpiRows] = await Promise.all([
      db
        .select({ unitId: kpis.unitId, unitName: units.name, n: count() })
        .from(kpis)
        .innerJoin(units, and(eq(units.orgId, kpis.orgId), eq(units.id, kpis.unitId)))
        .where(and(active, eq(kpis.isIndividual, false)))
        .groupBy(kpis.unitId, units.name),
      db
        .select({
          userId: kpis.ownerUserId,
          name: ownerUser.name,
          homeUnitId: ownerMembership.homeUnitId,
          n: count(),
        })
        .from(kpis)
        .innerJoin(
          ownerMembership,
          and(eq(ownerMembership.orgId, kpis.orgId), eq(ownerMembership.userId, kpis.ownerUserId)),
        )
        .innerJoin(ownerUser, eq(ownerUser.id, kpis.ownerUserId))
        .where(active)
        .groupBy(kpis.ownerUserId, ownerUser.name, ownerMembership.homeUnitId),
      db
        .select({
          id: kpis.id,
          name: kpis.name,
          unitId: kpis.unitId,
          unitName: units.name,
          cadence: kpis.cadence,
          createdAt: kpis.createdAt,
          isIndividual: kpis.isIndividual,
          ownerUserId: kpis.ownerUserId,
          ownerName: ownerUser.name,
          ownerHomeUnitId: ownerMembership.homeUnitId,
          lastStart: sql<
            string | null
          >`(select max(${kpiPeriodValues.periodStart})::text from ${kpiPeriodValues} where ${kpiPeriodValues.orgId} = ${kpis.orgId} and ${kpiPeriodValues.kpiId} = ${kpis.id})`,
        })
        .from(kpis)
        .innerJoin(units, and(eq(units.orgId, kpis.orgId), eq(units.id, kpis.unitId)))
        .leftJoin(
          ownerMembership,
          and(eq(ownerMembership.orgId, kpis.orgId), eq(ownerMembership.userId, kpis.ownerUserId)),
        )
        .leftJoin(ownerUser, eq(ownerUser.id, kpis.ownerUserId))
        .where(active)
        .orderBy(asc(units.name), asc(kpis.name)),
    ]);

    const retireCandidates = kpiRows
      .filter((k) => inScope(k.unitId))
      .filter((k) =>
        can(ctx, 'kpis.read', {
          isIndividual: k.isIndividual,
          ownerUserId: k.ownerUserId,
          ownerHomeUnitId: k.ownerHomeUnitId,
        }),
      )
      .filter((k) =>
        isRetireCandidate({
          cadence: k.cadence,
          createdOn: todayInTimeZone(ctx.org.timeZone, new Date(k.createdAt)),
          lastValueStart: k.lastStart,
          today,
          fyStartMonth: ctx.org.fyStartMonth,
        }),
      )
      .map((k) => ({
        id: k.id,
        name: k.name,
        unitName: k.unitName,
        ownerName: k.ownerName,
        lastValueLabel:
          k.lastStart === null
            ? null
            : periodLabel(
                periodStart(k.lastStart, k.cadence, ctx.org.fyStartMonth),
                k.cadence,
                ctx.org.fyStartMonth,
                ctx.org.locale,
              ),
      }));

    return {
      limits,
      unitsOverLimit: overLimit(
        unitRows
          .filter((r) => inScope(r.unitId))
          .map((r) => ({ unitId: r.unitId, unitName: r.unitName, count: r.n })),
        limits.perUnit,
        (r) => r.unitName,
      ),
      peopleOverLimit: overLimit(
        personRows
          .filter((r) => inScope(r.homeUnitId))
          .map((r) => ({ userId: r.userId!, name: r.name, count: r.n })),
        limits.perPerson,
        (r) => r.name,
      ),
      retireCandidates,
    };
  });
}
