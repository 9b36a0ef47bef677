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

/** Upserts then deletes period values in the caller's transaction. */
export async function writePeriodValues(
  tx: Runner,
  orgId: string,
  upserts: readonly PeriodValueRow[],
  deletes: readonly { kpiId: string; periodStart: string }[],
): Promise<void> {
  // Chunked so a whole-org rebuild does not build one huge statement.
  for (let i = 0; i < upserts.length; i += 5000)
    await runRows(tx, upsertPeriodValuesSql(orgId, upserts.slice(i, i + 5000)));
  for (let i = 0; i < deletes.length; i += 5000)
    await runRows(tx, deletePeriodValuesSql(orgId, deletes.slice(i, i + 5000)));
}
