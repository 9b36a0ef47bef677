import { eq, sql, type SQL } from 'drizzle-orm';
import type { PgTable } from 'drizzle-orm/pg-core';
import type { Tx } from '@/db/client';
import { kpiPeriodValues } from '@/db/schema';
import { computeAllPeriodValues } from '@/lib/domain/cascade-compute';
import { loadCascadeKpis } from './cascade/load-kpis';
import { loadCascadeCheckins } from './cascade/load-values';

/**
 * Bulk writing for seeds and full rebuilds. A multi-row `INSERT ... VALUES` costs one bind
 * parameter per cell, and building and parsing hundreds of thousands of them dominates a large
 * seed; `INSERT ... SELECT FROM unnest($1::type[], ...)` sends one parameter per column instead
 * (an array literal), which both postgres.js and PGlite pass through as text.
 */

/** One column of an unnest insert: its database name, its SQL type and how a row gives its value. */
export type UnnestColumn<Row> = {
  name: string;
  /** A SQL type name such as `uuid`, `date`, `numeric`, `integer`, `text`, `timestamptz` or an enum. */
  type: string;
  value: (row: Row) => string | number | boolean | null;
};

const SAFE_TYPE = /^[a-z_][a-z0-9_]*$/;

function arrayElement(value: string | number | boolean | null): string {
  if (value === null) return 'NULL';
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new RangeError(`Not a finite number: ${value}`);
    return String(value);
  }
  if (typeof value === 'boolean') return value ? 't' : 'f';
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/** A Postgres array literal (`{"a","b",NULL}`) of the given values. */
export function pgArrayLiteral(values: readonly (string | number | boolean | null)[]): string {
  return `{${values.map(arrayElement).join(',')}}`;
}

/**
 * Inserts rows with `INSERT ... SELECT * FROM unnest(...)`, `chunkSize` rows per statement, in
 * the caller's transaction. Values are passed exactly as given (decimal strings stay exact).
 */
export async function insertUnnest<Row>(
  tx: Tx,
  table: PgTable,
  columns: readonly UnnestColumn<Row>[],
  rows: readonly Row[],
  chunkSize = 20_000,
): Promise<number> {
  for (const c of columns) {
    if (!SAFE_TYPE.test(c.type)) throw new Error(`Unsupported column type ${c.type}`);
  }
  const names = sql.join(
    columns.map((c) => sql.identifier(c.name)),
    sql`, `,
  );
  for (let i = 0; i < rows.length; i += chunkSize) {
    const chunk = rows.slice(i, i + chunkSize);
    const arrays: SQL[] = columns.map(
      (c) => sql`${pgArrayLiteral(chunk.map(c.value))}::${sql.raw(c.type)}[]`,
    );
    await tx.execute(
      sql`insert into ${table} (${names}) select * from unnest(${sql.join(arrays, sql`, `)})`,
    );
  }
  return rows.length;
}

/**
 * Replaces every stored period value of one organization by its from-scratch computation, like
 * `rebuildOrgPeriodValues` in ./cascade/rebuild (same loaders, same pure `computeAllPeriodValues`, so
 * `db:verify` agrees by construction) but written with unnest inserts: tens of thousands of rows
 * per statement, for seeding large organizations in seconds. Tenant: `orgId` only; no
 * authorization (maintenance and seed code). Caller holds `lockOrgCascade`. Returns the row count.
 */
export async function materializeOrgPeriodValues(
  tx: Tx,
  orgId: string,
  fyStartMonth: number,
): Promise<number> {
  const [allKpis, allCheckins] = await Promise.all([
    loadCascadeKpis(tx, orgId),
    loadCascadeCheckins(tx, orgId),
  ]);
  const computed = computeAllPeriodValues(allKpis, allCheckins, fyStartMonth);
  await tx.delete(kpiPeriodValues).where(eq(kpiPeriodValues.orgId, orgId));
  type Row = {
    kpiId: string;
    periodStart: string;
    value: string;
    sampleCount: number;
    reported: number;
    expected: number;
  };
  const rows: Row[] = [];
  for (const [kpiId, periods] of computed) {
    for (const [periodStart, v] of periods) {
      rows.push({
        kpiId,
        periodStart,
        value: v.value,
        sampleCount: v.sampleCount,
        reported: v.childrenReported,
        expected: v.childrenExpected,
      });
    }
  }
  return insertUnnest<Row>(
    tx,
    kpiPeriodValues,
    [
      { name: 'org_id', type: 'uuid', value: () => orgId },
      { name: 'kpi_id', type: 'uuid', value: (r) => r.kpiId },
      { name: 'period_start', type: 'date', value: (r) => r.periodStart },
      { name: 'value', type: 'numeric', value: (r) => r.value },
      { name: 'sample_count', type: 'integer', value: (r) => r.sampleCount },
      { name: 'children_reported', type: 'integer', value: (r) => r.reported },
      { name: 'children_expected', type: 'integer', value: (r) => r.expected },
    ],
    rows,
  );
}
