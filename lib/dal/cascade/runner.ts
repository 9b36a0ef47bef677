import type { SQL } from 'drizzle-orm';
import { execRows, type Executor } from '@/db/client';
import type { Pipeline } from '@/db/pipeline';

/*
 * Where the cascade's statements run: a tenant transaction, or the pipelined transaction of new
 * check-ins (whose statements go out without waiting for earlier answers). The engine's reads
 * and writes are raw SQL over either, so a check-in that feeds a formula recomputes it with the
 * same code as every other write, in its own transaction.
 */

/** A transaction to run the cascade's statements in (readers: their read transaction). */
export type Runner = Executor | { pipeline: Pipeline };

/** Runs one statement in the runner's transaction and resolves to its rows. */
export function runRows<T extends Record<string, unknown>>(run: Runner, query: SQL): Promise<T[]> {
  if ('pipeline' in run) return run.pipeline.query<T>(query);
  return execRows<T>(run, query);
}
