import { sql, type SQL } from 'drizzle-orm';
import { periodStart } from '@/lib/domain/periods';

/*
 * New check-ins rolled up by difference in the server: the statement calling
 * `kpi_rollup_checkins` (db/migrations/0028_rollup_state.sql), which updates each source's
 * period value and its chain's from their stored rollup state (lib/domain/rollup-state.ts)
 * without reading siblings or sending values back. It answers `ok = false` and changes nothing
 * when a chain cannot be updated that way (a `last`, `min` or `max` on it, a shorter-cadence
 * child that is not a `sum`, a state not stored): the caller then takes the full recompute.
 * Tenant-scoped by the org id given; no authorization; the caller holds the cascade locks,
 * inserts the check-ins, and runs the formula pass of any formula reading the chains (the
 * function evaluates no formula).
 */

/** A new check-in as the rollup by difference reads it (the value an exact decimal string). */
export type DifferenceItem = { kpiId: string; observedOn: string; value: string };

/**
 * `select kpi_rollup_checkins(...) as ok` for check-ins of one org, in recording order; the
 * periods of each date (month, quarter, year) are computed here by the domain's period rules.
 * With `orRaise`, a refusal raises instead (kpi_rollup_checkins_or_raise).
 */
export function rollupByDifferenceSql(
  orgId: string,
  items: readonly DifferenceItem[],
  fyStartMonth: number,
  { orRaise = false }: { orRaise?: boolean } = {},
): SQL {
  const records = items.map(({ kpiId, observedOn, value }) => ({
    kpi_id: kpiId,
    value,
    m: periodStart(observedOn, 'month', fyStartMonth),
    q: periodStart(observedOn, 'quarter', fyStartMonth),
    y: periodStart(observedOn, 'year', fyStartMonth),
  }));
  const fn = sql.raw(orRaise ? 'kpi_rollup_checkins_or_raise' : 'kpi_rollup_checkins');
  return sql`select ${fn}(${orgId}::uuid, ${JSON.stringify(records)}::json) as ok`;
}

/**
 * True for the error of a refused `orRaise` call (SQLSTATE KP002): the transaction failed and
 * changed nothing; retry it through the full recompute.
 */
export function isRollupRefusal(error: unknown): boolean {
  for (let e: unknown = error; e; e = (e as { cause?: unknown }).cause) {
    if ((e as { code?: unknown }).code === 'KP002') return true;
  }
  return false;
}
