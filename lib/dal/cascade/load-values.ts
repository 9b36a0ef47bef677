import { and, eq, gte, lt, or, sql, type SQL } from 'drizzle-orm';
import { execRows, type Tx } from '@/db/client';
import { checkins, kpiPeriodValues } from '@/db/schema';
import type { CascadeCheckin, PeriodValue } from '@/lib/domain/cascade-compute';
import { normalizeDecimal } from '@/lib/domain/decimal';
import { collapseRanges, groupPeriodValues, type KpiRange } from '@/lib/domain/recompute';
import { runRows, type Runner } from './runner';
import { inUuids } from './sql-arrays';

/*
 * The check-ins and stored period values the cascade reads: an org's, some KPIs', or each group of
 * KPIs over its own date range. Tenant-scoped by the org id given; no authorization.
 */

/** A check-in's recording instant as an ISO string with microseconds (JS Dates drop them). */
const checkinRecordedAtSql: SQL<string> = utcMicrosSql(sql`${checkins.createdAt}`);

/** A timestamp as the cascade compares instants: ISO in UTC with microseconds. */
export function utcMicrosSql(timestamp: SQL): SQL<string> {
  return sql<string>`to_char(${timestamp} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;
}

/** Check-ins matching `where`, as the cascade reads them (values as stored). */
async function selectCascadeCheckins(
  run: Runner,
  where: SQL | undefined,
): Promise<CascadeCheckin[]> {
  const rows = await runRows<{
    id: string;
    kpi_id: string;
    observed_on: string;
    value: string;
    created_at: string;
  }>(
    run,
    sql`select ${checkins.id} as id, ${checkins.kpiId} as kpi_id,
               ${checkins.observedOn}::text as observed_on, ${checkins.value}::text as value,
               ${checkinRecordedAtSql} as created_at
          from ${checkins} where ${where ?? sql`true`}`,
  );
  return rows.map((r) => ({
    id: r.id,
    kpiId: r.kpi_id,
    observedOn: String(r.observed_on),
    value: String(r.value),
    createdAt: String(r.created_at),
  }));
}

/** Loads check-ins of one org (optionally of some KPIs, optionally in `[from, to)`). */
export async function loadCascadeCheckins(
  tx: Runner,
  orgId: string,
  filter: { kpiIds?: readonly string[]; from?: string; to?: string } = {},
): Promise<CascadeCheckin[]> {
  if (filter.kpiIds && filter.kpiIds.length === 0) return [];
  const rows = await selectCascadeCheckins(
    tx,
    and(
      eq(checkins.orgId, orgId),
      filter.kpiIds ? inUuids(checkins.kpiId, filter.kpiIds) : undefined,
      filter.from ? gte(checkins.observedOn, filter.from) : undefined,
      filter.to ? lt(checkins.observedOn, filter.to) : undefined,
    ),
  );
  return rows.map((r) => ({ ...r, value: normalizeDecimal(r.value) }));
}

/** The distinct dates of the check-ins of some KPIs of one org (one row per KPI and date). */
export async function loadCheckinDates(
  tx: Tx,
  orgId: string,
  kpiIds: readonly string[],
): Promise<{ kpiId: string; observedOn: string }[]> {
  const rows = await execRows<{ kpi_id: string; observed_on: string | Date }>(
    tx,
    sql`select distinct kpi_id, observed_on::text as observed_on from checkins
        where org_id = ${orgId}::uuid and ${inUuids(sql`kpi_id`, kpiIds)}`,
  );
  return rows.map((r) => ({ kpiId: r.kpi_id, observedOn: String(r.observed_on) }));
}

/** Stored period values matching `where`, grouped KPI -> period start -> value (normalized). */
async function selectPeriodValues(
  run: Runner,
  where: SQL | undefined,
): Promise<Map<string, Map<string, PeriodValue>>> {
  const rows = await runRows<{
    kpi_id: string;
    period_start: string;
    value: string;
    sample_count: number;
    children_reported: number;
    children_expected: number;
  }>(
    run,
    sql`select ${kpiPeriodValues.kpiId} as kpi_id, ${kpiPeriodValues.periodStart}::text as period_start,
               ${kpiPeriodValues.value}::text as value, ${kpiPeriodValues.sampleCount} as sample_count,
               ${kpiPeriodValues.childrenReported} as children_reported,
               ${kpiPeriodValues.childrenExpected} as children_expected
          from ${kpiPeriodValues} where ${where ?? sql`true`}`,
  );
  return groupPeriodValues(
    rows.map((r) => ({
      kpiId: r.kpi_id,
      periodStart: String(r.period_start),
      value: String(r.value),
      sampleCount: Number(r.sample_count),
      childrenReported: Number(r.children_reported),
      childrenExpected: Number(r.children_expected),
    })),
  );
}

/** Stored period values of one org (optionally of some KPIs, optionally with start in `[from, to)`). */
export async function loadStoredPeriodValues(
  tx: Runner,
  orgId: string,
  filter: { kpiIds?: readonly string[]; from?: string; to?: string } = {},
): Promise<Map<string, Map<string, PeriodValue>>> {
  if (filter.kpiIds && filter.kpiIds.length === 0) return new Map();
  return selectPeriodValues(
    tx,
    and(
      eq(kpiPeriodValues.orgId, orgId),
      filter.kpiIds ? inUuids(kpiPeriodValues.kpiId, filter.kpiIds) : undefined,
      filter.from ? gte(kpiPeriodValues.periodStart, filter.from) : undefined,
      filter.to ? lt(kpiPeriodValues.periodStart, filter.to) : undefined,
    ),
  );
}

/** Above this many ranges (large batches) one enclosing range is cheaper than a long `or`. */
const MAX_RANGE_TERMS = 50;

/** Check-ins of some KPIs, each with its own `[from, to)` date range (one query). */
export async function loadCheckinsInRanges(
  tx: Runner,
  orgId: string,
  ranges: readonly { kpiId: string; from: string; to: string }[],
): Promise<CascadeCheckin[]> {
  if (ranges.length === 0) return [];
  if (ranges.length > MAX_RANGE_TERMS) {
    const all = collapseRanges(ranges.map((r) => ({ kpiIds: [r.kpiId], from: r.from, to: r.to })));
    return loadCascadeCheckins(tx, orgId, all);
  }
  const rows = await selectCascadeCheckins(
    tx,
    and(
      eq(checkins.orgId, orgId),
      or(
        ...ranges.map((r) =>
          and(
            eq(checkins.kpiId, r.kpiId),
            gte(checkins.observedOn, r.from),
            lt(checkins.observedOn, r.to),
          ),
        ),
      ),
    ),
  );
  // `numeric` text such as "12.500000" is exact; the domain normalizes what it returns.
  return rows;
}

/** Stored period values of groups of KPIs, each group with its own `[from, to)` range (one query). */
export async function loadStoredInRanges(
  tx: Runner,
  orgId: string,
  ranges: readonly KpiRange[],
): Promise<Map<string, Map<string, PeriodValue>>> {
  if (ranges.length === 0) return new Map();
  if (ranges.length > MAX_RANGE_TERMS)
    return loadStoredPeriodValues(tx, orgId, collapseRanges(ranges));
  return selectPeriodValues(
    tx,
    and(
      eq(kpiPeriodValues.orgId, orgId),
      or(
        ...ranges.map((r) =>
          and(
            inUuids(kpiPeriodValues.kpiId, r.kpiIds),
            gte(kpiPeriodValues.periodStart, r.from),
            lt(kpiPeriodValues.periodStart, r.to),
          ),
        ),
      ),
    ),
  );
}
