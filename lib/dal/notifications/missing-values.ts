import { sql } from 'drizzle-orm';
import { execRows, type Executor } from '@/db/client';
import type { Cadence } from '@/lib/domain/periods';

/** An owned KPI with no value for one of its periods. */
export type MissingValue = {
  kpiId: string;
  kpiName: string;
  /** The KPI's owning unit. */
  unitId: string;
  isIndividual: boolean;
  ownerUserId: string;
  ownerName: string;
  ownerHomeUnitId: string;
  cadence: Cadence;
  periodStart: string;
};

/**
 * The KPIs with no value for these periods that a person should have reported: active, owned,
 * recorded by hand (rollup `manual`: the ones a person checks in), of the period's cadence, and
 * existing before the period ended. What reminders and escalations are about. Tenant: orgId.
 */
export async function listMissingValues(
  tx: Executor,
  orgId: string,
  periods: readonly { cadence: Cadence; periodStart: string; lastDay: string }[],
): Promise<MissingValue[]> {
  if (periods.length === 0) return [];
  const rows = await execRows<{
    kpi_id: string;
    kpi_name: string;
    unit_id: string;
    is_individual: boolean;
    owner_user_id: string;
    owner_name: string;
    home_unit_id: string;
    cadence: Cadence;
    period_start: string;
  }>(
    tx,
    sql`with periods as (
          select distinct * from json_to_recordset(${JSON.stringify(
            periods.map((p) => ({
              cadence: p.cadence,
              period_start: p.periodStart,
              last_day: p.lastDay,
            })),
          )}::json) as p(cadence text, period_start date, last_day date)
        )
        select k.id as kpi_id, k.name as kpi_name, k.unit_id, k.is_individual, k.owner_user_id, u.name as owner_name,
               m.home_unit_id, p.cadence, p.period_start::text as period_start
          from kpis k
          join periods p on p.cadence = k.cadence::text
          join memberships m on m.org_id = k.org_id and m.user_id = k.owner_user_id
          join users u on u.id = k.owner_user_id
         where k.org_id = ${orgId}
           and k.archived_on is null
           and k.rollup = 'manual'
           and k.owner_user_id is not null
           and k.created_at::date <= p.last_day
           and not exists (
             select 1 from kpi_period_values v
              where v.org_id = k.org_id and v.kpi_id = k.id and v.period_start = p.period_start)
         order by k.id, p.period_start`,
  );
  return rows.map((r) => ({
    kpiId: r.kpi_id,
    kpiName: r.kpi_name,
    unitId: r.unit_id,
    isIndividual: r.is_individual,
    ownerUserId: r.owner_user_id,
    ownerName: r.owner_name,
    ownerHomeUnitId: r.home_unit_id,
    cadence: r.cadence,
    periodStart: r.period_start,
  }));
}
