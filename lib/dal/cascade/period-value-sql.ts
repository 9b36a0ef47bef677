import { sql, type SQL } from 'drizzle-orm';
import { runRows, type Runner } from './runner';
import type { PeriodValueRow } from '@/lib/domain/recompute';
import { arrayLiteral } from './sql-arrays';

/*
 * The writes of `kpi_period_values`: the statements (also sent inside the pipelined check-in
 * transaction) and their chunked execution. Tenant-scoped by the org id given; no authorization.
 */

/** One statement upserting period values (any number: one parameter per column). */
export function upsertPeriodValuesSql(orgId: string, rows: readonly PeriodValueRow[]): SQL {
  return sql`insert into kpi_period_values
      (org_id, kpi_id, period_start, value, sample_count, children_reported, children_expected, updated_at)
    select ${orgId}::uuid, u.kpi_id, u.period_start, u.value, u.sample_count, u.children_reported,
           u.children_expected, now()
      from unnest(${arrayLiteral(rows.map((r) => r.kpiId))}::uuid[],
                  ${arrayLiteral(rows.map((r) => r.periodStart))}::date[],
                  ${arrayLiteral(rows.map((r) => r.value))}::numeric[],
                  ${arrayLiteral(rows.map((r) => r.sampleCount))}::int[],
                  ${arrayLiteral(rows.map((r) => r.childrenReported))}::int[],
                  ${arrayLiteral(rows.map((r) => r.childrenExpected))}::int[])
        as u(kpi_id, period_start, value, sample_count, children_reported, children_expected)
    on conflict (org_id, kpi_id, period_start) do update set
      value = excluded.value, sample_count = excluded.sample_count,
      children_reported = excluded.children_reported,
      children_expected = excluded.children_expected, updated_at = now()`;
}

/** One statement deleting the period values with these keys. */
export function deletePeriodValuesSql(
  orgId: string,
  keys: readonly { kpiId: string; periodStart: string }[],
): SQL {
  return sql`delete from kpi_period_values
    where org_id = ${orgId}::uuid
      and (kpi_id, period_start) in (
        select * from unnest(${arrayLiteral(keys.map((k) => k.kpiId))}::uuid[],
                             ${arrayLiteral(keys.map((k) => k.periodStart))}::date[]))`;
}

/**
 * The common table expressions (to follow `with`, data-modifying CTEs must be top level) that
 * upsert and delete period values AND record, in the same statement, one `kpi_value_events` row
 * per (KPI, period) whose value actually appeared, changed or disappeared: the outbox of
 * off-track alerts. The old values are read in the same statement (one snapshot, before its
 * writes), so only the rows the write changed are compared, and a rolled-back write leaves no
 * event. Names its CTEs `old_values`, `changed`, `gone` and `value_events`.
 */
export function periodValueWriteCtes(
  orgId: string,
  upserts: readonly PeriodValueRow[],
  deletes: readonly { kpiId: string; periodStart: string }[],
): SQL {
  const keys = [...upserts, ...deletes];
  return sql`old_values as (
      select kpi_id, period_start, value from kpi_period_values
       where org_id = ${orgId}::uuid
         and (kpi_id, period_start) in (
           select * from unnest(${arrayLiteral(keys.map((k) => k.kpiId))}::uuid[],
                                ${arrayLiteral(keys.map((k) => k.periodStart))}::date[]))),
    changed as (${upsertPeriodValuesSql(orgId, upserts)} returning kpi_id, period_start, value),
    gone as (${deletePeriodValuesSql(orgId, deletes)} returning kpi_id, period_start),
    value_events as (
      insert into kpi_value_events (org_id, kpi_id, period_start, old_value, new_value)
      select ${orgId}::uuid, n.kpi_id, n.period_start, o.value, n.value
        from (select kpi_id, period_start, value from changed
              union all
              select kpi_id, period_start, null::numeric from gone) n
        left join old_values o on o.kpi_id = n.kpi_id and o.period_start = n.period_start
       where o.value is distinct from n.value)`;
}

/**
 * Upserts then deletes period values in the caller's transaction, recording each changed
 * value in the alerts outbox (`periodValueWriteCtes`) unless `events` is false (a whole-org
 * rebuild, which recomputes what was there and is no news).
 */
export async function writePeriodValues(
  tx: Runner,
  orgId: string,
  upserts: readonly PeriodValueRow[],
  deletes: readonly { kpiId: string; periodStart: string }[],
  { events = true }: { events?: boolean } = {},
): Promise<void> {
  // Chunked so a whole-org rebuild does not build one huge statement.
  for (let i = 0; i < upserts.length; i += 5000) {
    const chunk = upserts.slice(i, i + 5000);
    await runRows(
      tx,
      events
        ? sql`with ${periodValueWriteCtes(orgId, chunk, [])} select 1`
        : upsertPeriodValuesSql(orgId, chunk),
    );
  }
  for (let i = 0; i < deletes.length; i += 5000) {
    const chunk = deletes.slice(i, i + 5000);
    await runRows(
      tx,
      events
        ? sql`with ${periodValueWriteCtes(orgId, [], chunk)} select 1`
        : deletePeriodValuesSql(orgId, chunk),
    );
  }
}
