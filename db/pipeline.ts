import { sql, type SQL } from 'drizzle-orm';
import { PgDialect } from 'drizzle-orm/pg-core';
import { getDbHandle } from './client';

/**
 * A transaction whose statements are sent as soon as they are issued, without waiting for the
 * answers of earlier ones: the server runs them in order on one connection, so a batch issued
 * together costs one round trip. BEGIN goes out with the first batch and COMMIT with the last
 * (`commit()`), which matters on hot paths that hold a lock: every round trip under it is one
 * the other writers wait for. After a failed statement the server refuses the rest and turns
 * COMMIT into ROLLBACK; the transaction then rejects with the first error.
 */
export type Pipeline = {
  /** Sends one statement (drizzle `sql` template, parameters bound) and resolves to its rows. */
  query: <T extends Record<string, unknown>>(query: SQL) => Promise<T[]>;
  /** Sends COMMIT now, after everything issued so far (the transaction resolves once it is done). */
  commit: () => void;
};

/**
 * Runs `fn` in a pipelined transaction (see Pipeline) as the runtime role. Without `commit()` the
 * transaction commits after `fn` resolves (one more round trip); when `fn` throws it rolls back.
 */
export async function withPipelinedTx<T>(fn: (p: Pipeline) => Promise<T>): Promise<T> {
  return (await getDbHandle()).pipelined(({ send, finish }) => runPipeline(send, finish, fn));
}

/** A pipelined tenant transaction: `app.org_id` is set by the first statement (see withOrgTx). */
export async function withOrgPipelinedTx<T>(
  orgId: string,
  fn: (p: Pipeline) => Promise<T>,
): Promise<T> {
  return withPipelinedTx((p) => {
    // The statements that follow look rows up by key: generic plans (re-planning them per call
    // cost as much as running them) and no JIT (row estimates of JSON inputs and recursive CTEs
    // are far too high, and compiling for them took 100 ms where running takes one).
    void p.query(
      sql`select set_config('app.org_id', ${orgId}, true),
        set_config('plan_cache_mode', 'force_generic_plan', true),
        set_config('jit', 'off', true)`,
    );
    return fn(p);
  });
}

const dialect = new PgDialect();

/** The statement text and parameters of a drizzle `sql` template. */
function toQuery(query: SQL): { text: string; params: unknown[] } {
  const built = dialect.sqlToQuery(query);
  return { text: built.sql, params: built.params };
}

/**
 * The bookkeeping of a Pipeline over any driver: every statement issued is remembered, so the
 * outcome waits for all of them and reports the first failure even when `fn` ignored it.
 */
async function runPipeline<T>(
  send: (text: string, params: unknown[]) => Promise<Record<string, unknown>[]>,
  finish: (command: 'commit' | 'rollback') => Promise<unknown>,
  fn: (p: Pipeline) => Promise<T>,
): Promise<T> {
  const issued: Promise<unknown>[] = [];
  let ended: Promise<unknown> | undefined;
  const pipeline: Pipeline = {
    query: <R extends Record<string, unknown>>(query: SQL) => {
      if (ended) return Promise.reject(new Error('pipelined statement after COMMIT'));
      const { text, params } = toQuery(query);
      const sent = send(text, params) as Promise<R[]>;
      // Handled here too: a statement refused after an earlier failure must not surface as an
      // unhandled rejection while `fn` is still awaiting another one.
      sent.catch(() => {});
      issued.push(sent);
      return sent;
    },
    commit: () => {
      ended ??= finish('commit');
    },
  };
  let result: T;
  try {
    result = await fn(pipeline);
  } catch (error) {
    ended ??= finish('rollback');
    await Promise.allSettled([...issued, ended]);
    throw error;
  }
  ended ??= finish('commit');
  const outcomes = await Promise.allSettled([...issued, ended]);
  const failed = outcomes.find((o): o is PromiseRejectedResult => o.status === 'rejected');
  if (failed) throw failed.reason;
  return result;
}
