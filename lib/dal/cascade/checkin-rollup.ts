import { sql, type SQL } from 'drizzle-orm';
import type { CascadeCheckin, CascadeKpi, PeriodValue } from '@/lib/domain/cascade-compute';
import { periodEndExclusive, periodStart, type Cadence } from '@/lib/domain/periods';
import type { RollupMethod } from '@/lib/domain/rollup';
import {
  groupPeriodValues,
  toCascadeKpi,
  type CascadeKpiRow,
  type PeriodValueRow,
} from '../cascade';

/*
 * The reads of a single new check-in, as one statement that a pipelined transaction sends right
 * after its locks: the KPI (for the permission checks), its chain of ancestors, the children of
 * every computing KPI on it, their stored values over the one period of the check-in's date that
 * each chain KPI has, the KPI's check-ins in its own period, and the transaction's timestamp
 * (the new check-in's `created_at`). Everything `planRecompute` and `walkRecompute` need, so the
 * check-in's writes can follow in one more round trip. No authorization here: the caller checks.
 */

/** The KPI a check-in is recorded on, with what the permission checks read. */
export type CheckinTargetKpi = {
  id: string;
  unitId: string;
  ownerUserId: string | null;
  ownerHomeUnitId: string | null;
  isIndividual: boolean;
  rollup: RollupMethod;
  archivedOn: string | null;
};

export type CheckinRollupRead = {
  /** Null when the KPI is not in this organization. */
  kpi: CheckinTargetKpi | null;
  chain: CascadeKpi[];
  children: CascadeKpi[];
  stored: Map<string, Map<string, PeriodValue>>;
  checkins: CascadeCheckin[];
  /** The transaction's timestamp, ISO with microseconds: `now()`, the new row's `created_at`. */
  now: string;
};

const UTC_MICROS = `'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'`;

/** The statement; `observedOn` names the period of every cadence (ranges computed here, in JS). */
export function checkinRollupReadSql(
  orgId: string,
  kpiId: string,
  observedOn: string,
  fyStartMonth: number,
): SQL {
  const range = (cadence: Cadence) => {
    const from = periodStart(observedOn, cadence, fyStartMonth);
    return { from, to: periodEndExclusive(from, cadence) };
  };
  const m = range('month');
  const q = range('quarter');
  const y = range('year');
  const columns = sql.raw(`id, parent_id, cadence, time_aggregation, rollup, weight, archived_on`);
  const kpiJson = (alias: string) =>
    sql.raw(`json_build_object('id', ${alias}.id, 'parentId', ${alias}.parent_id,
      'cadence', ${alias}.cadence, 'timeAggregation', ${alias}.time_aggregation,
      'rollup', ${alias}.rollup, 'weight', ${alias}.weight::text,
      'archivedOn', ${alias}.archived_on::text)`);
  return sql`with recursive chain as (
      select ${columns} from kpis where org_id = ${orgId}::uuid and id = ${kpiId}::uuid
      union
      select k.id, k.parent_id, k.cadence, k.time_aggregation, k.rollup, k.weight, k.archived_on
        from kpis k join chain c on k.org_id = ${orgId}::uuid and k.id = c.parent_id
    ),
    kids as (
      -- one index probe per computing chain KPI, never a scan of the org's KPIs (offset 0 keeps
      -- the planner from flattening it into a hash join: it guesses a recursive CTE's size badly)
      select k.id, k.parent_id, k.cadence, k.time_aggregation, k.rollup, k.weight, k.archived_on
        from chain c
        cross join lateral (
          select * from kpis where org_id = ${orgId}::uuid and parent_id = c.id offset 0
        ) k
       where c.rollup <> 'manual'
    ),
    ranges as (
      select c.id,
             case c.cadence when 'month' then ${m.from}::date when 'quarter' then ${q.from}::date
                            else ${y.from}::date end as f,
             case c.cadence when 'month' then ${m.to}::date when 'quarter' then ${q.to}::date
                            else ${y.to}::date end as t
        from chain c
    ),
    wanted as (
      select r.id as kpi_id, r.f, r.t from ranges r
      union all
      select k.id, r.f, r.t from kids k join ranges r on r.id = k.parent_id
    )
    select
      (select json_build_object('id', k.id, 'unitId', k.unit_id, 'ownerUserId', k.owner_user_id,
              'ownerHomeUnitId', m.home_unit_id, 'isIndividual', k.is_individual,
              'rollup', k.rollup, 'archivedOn', k.archived_on::text)
         from kpis k
         left join memberships m on m.org_id = k.org_id and m.user_id = k.owner_user_id
        where k.org_id = ${orgId}::uuid and k.id = ${kpiId}::uuid) as kpi,
      (select coalesce(json_agg(${kpiJson('c')}), '[]') from chain c) as chain,
      (select coalesce(json_agg(${kpiJson('k')}), '[]') from kids k) as children,
      (select coalesce(json_agg(json_build_object('kpiId', v.kpi_id,
              'periodStart', v.period_start::text, 'value', v.value::text,
              'sampleCount', v.sample_count, 'childrenReported', v.children_reported,
              'childrenExpected', v.children_expected)), '[]')
         from wanted w
         join kpi_period_values v on v.org_id = ${orgId}::uuid and v.kpi_id = w.kpi_id
          and v.period_start >= w.f and v.period_start < w.t) as stored,
      (select coalesce(json_agg(json_build_object('id', c.id, 'kpiId', c.kpi_id,
              'observedOn', c.observed_on::text, 'value', c.value::text,
              'createdAt', to_char(c.created_at at time zone 'UTC', ${sql.raw(UTC_MICROS)}))), '[]')
         from ranges r
         join checkins c on c.org_id = ${orgId}::uuid and c.kpi_id = r.id
          and c.observed_on >= r.f and c.observed_on < r.t
        where r.id = ${kpiId}::uuid) as checkins,
      to_char(now() at time zone 'UTC', ${sql.raw(UTC_MICROS)}) as now`;
}

/** postgres.js parses json columns; PGlite too, but be lenient with text. */
function json<T>(value: unknown): T {
  return (typeof value === 'string' ? JSON.parse(value) : value) as T;
}

/** Parses the statement's one row. */
export function parseCheckinRollupRead(
  row: Record<string, unknown> | undefined,
): CheckinRollupRead {
  if (!row) throw new Error('check-in rollup read returned no row');
  return {
    kpi: json<CheckinTargetKpi | null>(row.kpi),
    chain: json<CascadeKpiRow[]>(row.chain).map(toCascadeKpi),
    children: json<CascadeKpiRow[]>(row.children).map(toCascadeKpi),
    stored: groupPeriodValues(json<PeriodValueRow[]>(row.stored)),
    // `numeric` text such as "12.500000" is exact; the domain normalizes what it returns.
    checkins: json<CascadeCheckin[]>(row.checkins),
    now: String(row.now),
  };
}
