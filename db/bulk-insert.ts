import { sql, type SQL } from 'drizzle-orm';
import type { PgInsertValue, PgTable } from 'drizzle-orm/pg-core';
import type { Executor, Tx } from '@/db/client';

/*
 * Bulk writing for seeds and full rebuilds (no tenant of its own: callers give every value). A
 * multi-row `INSERT ... VALUES` costs one bind parameter per cell, and building and parsing
 * hundreds of thousands of them dominates a large seed; `INSERT ... SELECT FROM unnest($1::type[],
 * ...)` sends one parameter per column instead (an array literal), which both postgres.js and
 * PGlite pass through as text.
 */

/**
 * Postgres caps one statement at 65,535 bind parameters; staying near 30,000 keeps each statement
 * well inside that on both drivers while still inserting thousands of rows per round trip.
 */
export const MAX_PARAMS_PER_STATEMENT = 30_000;

/**
 * Inserts rows with multi-row `INSERT ... VALUES` statements, as many rows per statement as fit
 * under `MAX_PARAMS_PER_STATEMENT` (counted from the widest row). Returns the number of rows.
 */
export async function insertInChunks<T extends PgTable>(
  executor: Executor,
  table: T,
  rows: readonly PgInsertValue<T>[],
  onChunk?: (inserted: number) => void,
): Promise<number> {
  if (rows.length === 0) return 0;
  let widest = 1;
  for (const row of rows) widest = Math.max(widest, Object.keys(row).length);
  const perStatement = Math.max(1, Math.floor(MAX_PARAMS_PER_STATEMENT / widest));
  for (let i = 0; i < rows.length; i += perStatement) {
    const chunk = rows.slice(i, i + perStatement);
    await executor.insert(table).values(chunk as PgInsertValue<T>[]);
    onChunk?.(Math.min(rows.length, i + perStatement));
  }
  return rows.length;
}

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
