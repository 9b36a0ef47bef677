import type { PgInsertValue, PgTable } from 'drizzle-orm/pg-core';
import type { Executor } from '@/db/client';

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
