import { sql, type SQL } from 'drizzle-orm';
import { execRows, type Tx } from '@/db/client';
import {
  RECENT_READINGS,
  describeUnusual,
  unusualQuestion,
  unusualValue,
  valueRangeProblem,
  type RangeKpi,
} from '@/lib/domain/value-range';
import { validationError } from '@/lib/errors';

/*
 * The value checks every write of a reading shares (lib/domain/value-range.ts holds the rules):
 * a value outside the KPI's valid range is refused on every path; a value far from the KPI's
 * recent readings is refused by forms until the person confirms it (`confirmUnusual`), and only
 * flagged by CSV imports and the API. "Recent readings": the KPI's latest six dated on or before
 * the new value's date (the reading being edited left out), newest first.
 */

/** How a write treats an unusual value: forms ask for confirmation, imports flag it. */
export type UnusualMode = 'confirm' | 'flag';

/** The field a form's confirmation of an unusual value is asked on. */
export const CONFIRM_FIELD = 'confirmUnusual';

/** Refuses a value outside the KPI's valid range, as a VALIDATION error on `field`. */
export function assertInRange(kpi: RangeKpi, value: string, locale: string, field = 'value'): void {
  const problem = valueRangeProblem(kpi, value, locale);
  if (problem) throw validationError(problem, { [field]: [problem] });
}

/** The warning for an unusual value (CSV, API), or null. */
export function unusualWarning(
  kpi: RangeKpi,
  value: string,
  recent: readonly string[],
  locale: string,
): string | null {
  const finding = unusualValue(value, recent);
  return finding ? describeUnusual(kpi, value, finding, locale) : null;
}

/**
 * Refuses an unusual value the person has not confirmed, as a VALIDATION error on
 * `confirmUnusual` (the form shows the question and sends the value again with the flag).
 */
export function assertUsualOrConfirmed(
  kpi: RangeKpi,
  value: string,
  recent: readonly string[],
  confirmed: boolean | undefined,
  locale: string,
  field = CONFIRM_FIELD,
): void {
  if (confirmed) return;
  const finding = unusualValue(value, recent);
  if (!finding) return;
  const question = unusualQuestion(kpi, value, finding, locale);
  throw validationError(question, { [field]: [question] });
}

/** A reading to compare: its KPI, its date, and the check-in it replaces (edits), if any. */
export type RecentQuery = { kpiId: string; observedOn: string; exceptId?: string | null };

/**
 * The JSON of each query's recent readings (`{ i, values }`, values newest first), for a
 * statement whose `src` rows are `(i int, kpi_id uuid, d date, skip uuid)`: one index probe each.
 */
export function recentReadingsJsonSql(orgId: string, src: SQL): SQL {
  return sql`(select coalesce(json_agg(json_build_object('i', s.i, 'values', r.values)), '[]')
      from ${src} s
      cross join lateral (
        select coalesce(json_agg(c.value::text order by c.observed_on desc, c.created_at desc,
                                 c.id desc), '[]') as values
          from (select value, observed_on, created_at, id from checkins
                 where org_id = ${orgId}::uuid and kpi_id = s.kpi_id and observed_on <= s.d
                   and (s.skip is null or id <> s.skip)
                 order by observed_on desc, created_at desc, id desc
                 limit ${RECENT_READINGS}) c
      ) r)`;
}

/** The recent readings of each query (in order), read in the caller's transaction. Tenant: orgId. */
export async function loadRecentReadings(
  tx: Tx,
  orgId: string,
  queries: readonly RecentQuery[],
): Promise<string[][]> {
  if (queries.length === 0) return [];
  const records = queries.map((q, i) => ({
    i,
    kpi_id: q.kpiId,
    d: q.observedOn,
    skip: q.exceptId ?? null,
  }));
  const src = sql`(select * from json_to_recordset(${JSON.stringify(records)}::json)
    as r(i int, kpi_id uuid, d date, skip uuid))`;
  const [row] = await execRows<{ recent: unknown }>(
    tx,
    sql`select ${recentReadingsJsonSql(orgId, src)} as recent`,
  );
  return parseRecentReadings(row?.recent, queries.length);
}

/** Parses `recentReadingsJsonSql`'s JSON into one list per query index. */
export function parseRecentReadings(raw: unknown, count: number): string[][] {
  const rows = (typeof raw === 'string' ? JSON.parse(raw) : (raw ?? [])) as {
    i: number;
    values: string[];
  }[];
  const out: string[][] = Array.from({ length: count }, () => []);
  for (const r of rows) out[r.i] = r.values;
  return out;
}
