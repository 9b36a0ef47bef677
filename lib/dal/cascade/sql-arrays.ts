import { sql, type AnyColumn, type SQL } from 'drizzle-orm';

/*
 * Postgres array literals that travel as one parameter, whatever the number of values: the
 * cascade reads and writes any number of KPIs and periods without hitting the parameter limit.
 */

/** `column = any($1::uuid[])` with one parameter however many ids (no parameter-count limit). */
export function inUuids(column: SQL | AnyColumn, ids: readonly string[]): SQL {
  return sql`${column} = any(${`{${ids.join(',')}}`}::uuid[])`;
}

/** `{a,b,c}`: a Postgres array literal of values that need no quoting (ids, dates, decimals, ints). */
export function arrayLiteral(values: readonly (string | number)[]): string {
  return `{${values.join(',')}}`;
}
