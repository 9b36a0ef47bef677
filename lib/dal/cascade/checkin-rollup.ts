import { sql, type SQL } from 'drizzle-orm';
import type { CascadeCheckin, CascadeKpi, PeriodValue } from '@/lib/domain/cascade-compute';
import { periodEndExclusive, periodStart, type Cadence } from '@/lib/domain/periods';
import type { RollupMethod } from '@/lib/domain/rollup';
import { groupPeriodValues, type PeriodValueRow } from '@/lib/domain/recompute';
import { toCascadeKpi } from './load-kpis';
import type { RangeKpi } from '@/lib/domain/value-range';
import { parseRecentReadings, recentReadingsJsonSql } from '../checkins/value-checks';
import { utcMicrosSql } from './load-values';
import {
  formulaClosureCtes,
  formulaClosureOf,
  formulaStoredFrom,
  type ClosureRow,
  type FormulaClosure,
} from './formulas';

/*
 * The reads of new check-ins (one, or a group sharing a transaction), as one statement that a
 * pipelined transaction sends right after its locks: each KPI (for the permission checks), the
 * chains of ancestors, the children of every computing KPI on them, their stored values over the
 * period of each check-in's date that each chain KPI has, each KPI's check-ins in its own period,
 * each check-in's recent readings (the unusual-value check), the transaction's timestamp (the new
 * check-ins' `created_at`), and the formula KPIs the check-ins reach with everything their pass
 * reads (formulas.ts: the closure, its inputs' values, the formulas' stored values). Everything
 * `planRecompute`, `walkRecompute` and `formulaPassWrites` need, so the writes can follow in one
 * more round trip; ancestors shared by several check-ins are read once. No authorization here:
 * the caller checks.
 */

/** The KPI a check-in is recorded on, with what the permission checks read. */
export type CheckinTargetKpi = RangeKpi & {
  id: string;
  unitId: string;
  ownerUserId: string | null;
  ownerHomeUnitId: string | null;
  isIndividual: boolean;
  rollup: RollupMethod;
  archivedOn: string | null;
};

export type CheckinRollupRead = {
  /** The KPIs checked in on that are in this organization (a missing one is absent). */
  kpis: Map<string, CheckinTargetKpi>;
  chain: CascadeKpi[];
  children: CascadeKpi[];
  stored: Map<string, Map<string, PeriodValue>>;
  checkins: CascadeCheckin[];
  /** Each source's recent readings (by source index, newest first): the unusual-value check. */
  recent: string[][];
  /** The transaction's timestamp, ISO with microseconds: `now()`, the new rows' `created_at`. */
  now: string;
  /**
   * What the formula pass of these check-ins reads (under the same locks): the closure of the
   * formulas reachable from the checked-in KPIs (none: no pass), every period of its input KPIs'
   * stored values (as before this write: the caller patches the walk's changes in), and the
   * reached formulas' stored values from formulaStoredFrom of the earliest check-in date on.
   */
  formulas: {
    closure: FormulaClosure;
    inputValues: Map<string, Map<string, PeriodValue>>;
    stored: Map<string, Map<string, PeriodValue>>;
  };
};

/**
 * The statement for check-ins on (KPI, date) pairs; each date names the period of every cadence
 * (the ranges are computed here, by the domain's period rules, and travel as JSON).
 */
export function checkinRollupReadSql(
  orgId: string,
  sources: readonly { kpiId: string; observedOn: string }[],
  fyStartMonth: number,
): SQL {
  const records = sources.map(({ kpiId, observedOn }, i) => {
    const range = (cadence: Cadence) => {
      const from = periodStart(observedOn, cadence, fyStartMonth);
      return [from, periodEndExclusive(from, cadence)];
    };
    const [mf, mt] = range('month');
    const [qf, qt] = range('quarter');
    const [yf, yt] = range('year');
    return { i, kpi_id: kpiId, d: observedOn, mf, mt, qf, qt, yf, yt };
  });
  // Every date of the statement is on or after the year start of the earliest one: the formula
  // pass compares stored values from there (formulaStoredFrom of its `since`, never earlier).
  const earliest = sources.map((s) => s.observedOn).sort()[0];
  const formulaStoredSince = earliest ? formulaStoredFrom(earliest, fyStartMonth) : null;
  const columns = sql.raw(`id, parent_id, cadence, time_aggregation, rollup, weight, archived_on`);
  const kpiJson = (alias: string) =>
    sql.raw(`json_build_object('id', ${alias}.id, 'parentId', ${alias}.parent_id,
      'cadence', ${alias}.cadence, 'timeAggregation', ${alias}.time_aggregation,
      'rollup', ${alias}.rollup, 'weight', ${alias}.weight::text,
      'archivedOn', ${alias}.archived_on::text)`);
  // Every join into a big table is a lateral probe with `offset 0`: the planner cannot see how
  // few rows the JSON sources and the recursive CTE hold, and would rather scan and hash the
  // org's KPIs and period values than probe their indexes a few dozen times.
  return sql`with recursive src as (
      select * from json_to_recordset(${JSON.stringify(records)}::json)
        as s(i int, kpi_id uuid, d date, mf date, mt date, qf date, qt date, yf date, yt date)
    ),
    -- every chain KPI once per source that reaches it (rows repeat where chains meet: nothing
    -- here sorts or hashes to remove them, the caller's maps do; the planner sizes such steps for
    -- its estimates, thousands of rows, and allocating that cost more than the reads)
    up as (
      select k.*, s.mf, s.mt, s.qf, s.qt, s.yf, s.yt, 0 as depth
        from src s
        cross join lateral (
          select ${columns} from kpis where org_id = ${orgId}::uuid and id = s.kpi_id offset 0
        ) k
      union all
      select k.*, u.mf, u.mt, u.qf, u.qt, u.yf, u.yt, u.depth + 1
        from up u
        cross join lateral (
          select ${columns} from kpis where org_id = ${orgId}::uuid and id = u.parent_id offset 0
        ) k
       where u.depth < 64
    ),
    -- each chain KPI's period for the date of the source that reached it
    ranges as materialized (
      select u.id, u.rollup,
             case u.cadence when 'month' then u.mf when 'quarter' then u.qf else u.yf end as f,
             case u.cadence when 'month' then u.mt when 'quarter' then u.qt else u.yt end as t
        from up u
    ),
    -- the children of every computing chain KPI, over that KPI's period
    kids as materialized (
      select k.*, r.f, r.t from ranges r
        cross join lateral (
          select ${columns} from kpis where org_id = ${orgId}::uuid and parent_id = r.id offset 0
        ) k
       where r.rollup <> 'manual'
    ),
    wanted as materialized (
      select id as kpi_id, f, t from ranges
      union all
      select id, f, t from kids
    ),
    -- the formulas the check-ins reach and what they read (formulas.ts); the reach from the
    -- checked-in KPIs covers every KPI the walk can change (their ancestors); a checked-in KPI
    -- is never a formula itself (only manual KPIs take check-ins)
    ${formulaClosureCtes(orgId, sql`array(select kpi_id from src)`, false)}
    select
      (select coalesce(json_agg(json_build_object('id', k.id, 'unitId', k.unit_id,
              'ownerUserId', k.owner_user_id, 'ownerHomeUnitId', k.home_unit_id,
              'isIndividual', k.is_individual, 'rollup', k.rollup,
              'archivedOn', k.archived_on::text, 'name', k.name, 'measureUnit', k.measure_unit,
              'currency', k.currency, 'decimals', k.decimals,
              'validMin', k.valid_min::text, 'validMax', k.valid_max::text)), '[]')
         from src s
         cross join lateral (
           select k.id, k.unit_id, k.owner_user_id, m.home_unit_id, k.is_individual, k.rollup,
                  k.archived_on, k.name, k.measure_unit, k.currency, k.decimals, k.valid_min,
                  k.valid_max
             from kpis k
             left join memberships m on m.org_id = k.org_id and m.user_id = k.owner_user_id
            where k.org_id = ${orgId}::uuid and k.id = s.kpi_id offset 0
         ) k) as kpis,
      (select coalesce(json_agg(${kpiJson('c')}), '[]') from up c) as chain,
      (select coalesce(json_agg(${kpiJson('k')}), '[]') from kids k) as children,
      (select coalesce(json_agg(${periodValueJson('v')}), '[]')
         from (select v.* from wanted w
                 cross join lateral (
                   select kpi_id, period_start, value, sample_count, children_reported,
                          children_expected
                     from kpi_period_values
                    where org_id = ${orgId}::uuid and kpi_id = w.kpi_id
                      and period_start >= w.f and period_start < w.t offset 0
                 ) v) v) as stored,
      (select coalesce(json_agg(json_build_object('id', c.id, 'kpiId', c.kpi_id,
              'observedOn', c.observed_on::text, 'value', c.value::text,
              'createdAt', ${utcMicrosSql(sql.raw('c.created_at'))})), '[]')
         from (select c.* from ranges r
                 cross join lateral (
                   select id, kpi_id, observed_on, value, created_at
                     from checkins
                    where org_id = ${orgId}::uuid and kpi_id = r.id
                      and observed_on >= r.f and observed_on < r.t offset 0
                 ) c
                where r.id in (select kpi_id from src)) c) as checkins,
      ${recentReadingsJsonSql(orgId, sql`(select i, kpi_id, d, null::uuid as skip from src)`)} as recent,
      ${utcMicrosSql(sql.raw('now()'))} as now,
      (select coalesce(json_agg(c), '[]') from closure c) as formula_closure,
      -- the inputs of the pass (closureInputs: KPIs with a key that are not formulas), every period
      (select coalesce(json_agg(${periodValueJson('v')}), '[]')
         from closure c
         cross join lateral (
           select kpi_id, period_start, value, sample_count, children_reported, children_expected
             from kpi_period_values
            where org_id = ${orgId}::uuid and kpi_id = c.id offset 0
         ) v
        where c.key is not null and not (c.rollup = 'formula' and c.formula is not null)
      ) as formula_inputs,
      (select coalesce(json_agg(${periodValueJson('v')}), '[]')
         from closure c
         cross join lateral (
           select kpi_id, period_start, value, sample_count, children_reported, children_expected
             from kpi_period_values
            where org_id = ${orgId}::uuid and kpi_id = c.id
              and period_start >= ${formulaStoredSince}::date offset 0
         ) v
        where c.reached
      ) as formula_stored`;
}

/** A period value row (alias `v`) as the JSON groupPeriodValues reads. */
function periodValueJson(alias: string): SQL {
  return sql.raw(`json_build_object('kpiId', ${alias}.kpi_id,
    'periodStart', ${alias}.period_start::text, 'value', ${alias}.value::text,
    'sampleCount', ${alias}.sample_count, 'childrenReported', ${alias}.children_reported,
    'childrenExpected', ${alias}.children_expected)`);
}

/** postgres.js parses json columns; PGlite too, but be lenient with text. */
function json<T>(value: unknown): T {
  return (typeof value === 'string' ? JSON.parse(value) : value) as T;
}

function byId<T extends { id: string }>(rows: readonly T[]): Map<string, T> {
  return new Map(rows.map((r) => [r.id, r]));
}

/** Parses the statement's one row. */
export function parseCheckinRollupRead(
  row: Record<string, unknown> | undefined,
  count: number,
): CheckinRollupRead {
  if (!row) throw new Error('check-in rollup read returned no row');
  return {
    kpis: new Map(json<CheckinTargetKpi[]>(row.kpis).map((k) => [k.id, k])),
    // Rows repeat where chains meet (see the statement): each once, by id.
    chain: [...byId(json<CascadeKpi[]>(row.chain)).values()].map(toCascadeKpi),
    children: [...byId(json<CascadeKpi[]>(row.children)).values()].map(toCascadeKpi),
    stored: groupPeriodValues(json<PeriodValueRow[]>(row.stored)),
    // `numeric` text such as "12.500000" is exact; the domain normalizes what it returns.
    checkins: [...byId(json<CascadeCheckin[]>(row.checkins)).values()],
    recent: parseRecentReadings(row.recent, count),
    now: String(row.now),
    formulas: {
      closure: formulaClosureOf(json<ClosureRow[]>(row.formula_closure)),
      inputValues: groupPeriodValues(json<PeriodValueRow[]>(row.formula_inputs)),
      stored: groupPeriodValues(json<PeriodValueRow[]>(row.formula_stored)),
    },
  };
}
