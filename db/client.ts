import { AsyncLocalStorage } from 'node:async_hooks';
import fs from 'node:fs';
import path from 'node:path';
import { sql, type SQL } from 'drizzle-orm';
import { PgDialect } from 'drizzle-orm/pg-core';
import type { PGlite, Transaction as PgliteTransaction } from '@electric-sql/pglite';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { env } from '@/lib/env';
import { RUNTIME_ROLE, RUNTIME_ROLE_TIMEOUTS } from './runtime-role';
import * as schema from './schema';
import { migratePglite, migratePostgres } from './migrate';

export type Db = PgDatabase<PgQueryResultHKT, typeof schema>;
export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];
export type Executor = Db | Tx;

type Handle = {
  /** The app's connection: the runtime role (`kpi_app`), subject to row-level security. */
  db: Db;
  /** The migrating role's connection, for seeds, CLIs and test fixtures (never app code paths). */
  ownerDb: () => Promise<Db>;
  driver: 'postgres' | 'pglite';
  /** A pipelined transaction as the runtime role (see withPipelinedTx). */
  pipelined: <T>(fn: (p: Pipeline) => Promise<T>) => Promise<T>;
  close: () => Promise<void>;
};

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

export { RUNTIME_ROLE, RUNTIME_ROLE_TIMEOUTS };

const globalKey = Symbol.for('kpi-cascade.db');
type GlobalWithDb = typeof globalThis & { [globalKey]?: Promise<Handle> };

/** Opens the database once per process: postgres.js when DATABASE_URL is set, else PGlite. */
export function getDbHandle(): Promise<Handle> {
  const g = globalThis as GlobalWithDb;
  g[globalKey] ??= open().catch((error: unknown) => {
    delete g[globalKey];
    throw error;
  });
  return g[globalKey];
}

/** The process-wide drizzle instance, migrated and ready, connected as the runtime role. */
export async function getDb(): Promise<Db> {
  return (await getDbHandle()).db;
}

/**
 * A connection as the migrating (owner) role: `MIGRATION_DATABASE_URL` on a server (the app's own
 * connection when that is unset), the embedded database with `SET LOCAL ROLE` back to its
 * superuser. For seeds, CLIs and test fixtures that write directly; app code uses getDb().
 */
export async function getOwnerDb(): Promise<Db> {
  return (await getDbHandle()).ownerDb();
}

/**
 * Runs `fn` in a pipelined transaction (see Pipeline) as the runtime role. Without `commit()` the
 * transaction commits after `fn` resolves (one more round trip); when `fn` throws it rolls back.
 */
export async function withPipelinedTx<T>(fn: (p: Pipeline) => Promise<T>): Promise<T> {
  return (await getDbHandle()).pipelined(fn);
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

/** Closes the process-wide connection (scripts and tests). */
export async function closeDb(): Promise<void> {
  const g = globalThis as GlobalWithDb;
  const pending = g[globalKey];
  delete g[globalKey];
  if (pending) await (await pending).close();
}

let postgresMigrated = false;

async function open(): Promise<Handle> {
  const config = env();
  if (config.DATABASE_URL) {
    const migrationUrl = config.MIGRATION_DATABASE_URL ?? config.DATABASE_URL;
    // A pool replaced after a lost server (see openPostgres) does not migrate again.
    if (!postgresMigrated) {
      await migratePostgres(migrationUrl);
      postgresMigrated = true;
    }
    return openPostgres(config.DATABASE_URL, migrationUrl, config.DATABASE_POOL_MAX);
  }
  return openPglite(config.PGLITE_DIR);
}

/**
 * Errors that mean the server or the connection is gone (postgres.js connection codes, socket
 * errors, and the server's shutdown and start-up refusals), not that a query was wrong.
 */
const CONNECTION_LOST = new Set([
  'CONNECT_TIMEOUT',
  'CONNECTION_CLOSED',
  'CONNECTION_DESTROYED',
  'CONNECTION_ENDED',
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  '57P01', // admin_shutdown
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now (starting up or shutting down)
]);

export function isConnectionLost(error: unknown): boolean {
  for (
    let e = error as { code?: unknown; cause?: unknown } | undefined, depth = 0;
    e && depth < 4;
    depth += 1
  ) {
    if (typeof e.code === 'string' && CONNECTION_LOST.has(e.code)) return true;
    e = e.cause as typeof e;
  }
  return false;
}

async function openPostgres(url: string, migrationUrl: string, max: number): Promise<Handle> {
  const { default: postgres } = await import('postgres');
  const { drizzle } = await import('drizzle-orm/postgres-js');
  const connect = (connectionUrl: string, poolMax: number) =>
    postgres(connectionUrl, {
      max: poolMax,
      connect_timeout: 5,
      idle_timeout: 30,
      onnotice: () => {},
    });
  const client = connect(url, max);
  let owner: { client: ReturnType<typeof postgres>; db: Db } | undefined;
  // After the server restarts, postgres.js can keep connections that never recover (a reconnect
  // stuck until CONNECT_TIMEOUT, again and again). So the first query that fails for a lost
  // connection retires this pool: the next getDb() opens a fresh one, and this one is ended once
  // its queries in flight had a few seconds to finish.
  let retired = false;
  const retire = (error: unknown) => {
    if (retired || !isConnectionLost(error)) return;
    retired = true;
    const g = globalThis as GlobalWithDb;
    const current = g[globalKey];
    void current?.then(
      (h) => {
        if (h === handle && g[globalKey] === current) delete g[globalKey];
      },
      () => {},
    );
    void client.end({ timeout: 3 }).catch(() => {});
    void owner?.client.end({ timeout: 3 }).catch(() => {});
  };
  const guarded = new Proxy(client, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver) as unknown;
      if (prop === 'unsafe' && typeof value === 'function') {
        return (...args: unknown[]) => {
          const query = (value as (...a: unknown[]) => Promise<unknown>).apply(target, args);
          // Observes the outcome without consuming it: the caller still gets the rejection.
          query.catch(retire);
          return query;
        };
      }
      if (prop === 'begin' && typeof value === 'function') {
        return (...args: unknown[]) =>
          (value as (...a: unknown[]) => Promise<unknown>)
            .apply(target, args)
            .catch((error: unknown) => {
              retire(error);
              throw error;
            });
      }
      return value;
    },
  });
  const db = drizzle(guarded, { schema }) as unknown as Db;
  await warnIfBypassingRls(db);
  const ownerDb = async () => {
    if (migrationUrl === url) return db;
    if (!owner) {
      const ownerClient = connect(migrationUrl, 3);
      owner = { client: ownerClient, db: drizzle(ownerClient, { schema }) as unknown as Db };
    }
    return owner.db;
  };
  const pipelined = async <T>(fn: (p: Pipeline) => Promise<T>): Promise<T> => {
    const reserved = await client.reserve().catch((error: unknown) => {
      retire(error);
      throw error;
    });
    const send = (text: string, params: unknown[] = []) => {
      // Named prepared statements (postgres.js caches them per connection): the texts of a hot
      // path repeat with new parameters, and planning its CTEs costs more than running them.
      const query = reserved.unsafe(text, params as never[], {
        prepare: true,
      }) as unknown as Promise<Record<string, unknown>[]>;
      query.catch(retire);
      return query;
    };
    try {
      // Not awaited: BEGIN travels with the first statements.
      const begun = send('begin');
      begun.catch(() => {});
      return await runPipeline(
        (text, params) => send(text, params),
        async (command) => {
          await begun;
          const result = (await send(command)) as unknown as { command?: string };
          // A statement failed before: the server answered COMMIT with ROLLBACK.
          if (command === 'commit' && result.command === 'ROLLBACK')
            throw new Error('transaction rolled back');
        },
        fn,
      );
    } finally {
      reserved.release();
    }
  };
  const handle: Handle = {
    db,
    ownerDb,
    driver: 'postgres',
    pipelined,
    close: async () => {
      await Promise.all([client.end({ timeout: 5 }), owner?.client.end({ timeout: 5 })]);
    },
  };
  return handle;
}

/** Row-level security means nothing for a superuser or a BYPASSRLS role: say so once at start. */
async function warnIfBypassingRls(db: Db): Promise<void> {
  const [role] = await execRows<{ name: string; bypasses: boolean }>(
    db,
    sql`select rolname as name, (rolsuper or rolbypassrls) as bypasses
      from pg_roles where rolname = current_user`,
  );
  if (role?.bypasses && process.env.NODE_ENV !== 'test' && !process.env.VITEST) {
    console.warn(
      `DATABASE_URL connects as ${role.name}, which bypasses row-level security: connect the app ` +
        `as ${RUNTIME_ROLE} and run migrations through MIGRATION_DATABASE_URL (see README).`,
    );
  }
}

/**
 * The embedded database has one connection and one (super)user: after migrating, the session
 * switches to the runtime role, so app queries are subject to row-level security and grants like
 * on a server. The owner view elevates per query with SET LOCAL ROLE (restored at commit).
 */
async function openPgliteHandle(client: PGlite, close: () => Promise<void>): Promise<Handle> {
  const { drizzle } = await import('drizzle-orm/pglite');
  await migratePglite(client);
  const [{ owner } = { owner: 'postgres' }] = (
    await client.query<{ owner: string }>('select session_user as owner')
  ).rows;
  // Not idle_in_transaction_session_timeout: ending the session would end the embedded database.
  const { statement_timeout, lock_timeout } = RUNTIME_ROLE_TIMEOUTS;
  const timeouts = `set statement_timeout = '${statement_timeout}'; set lock_timeout = '${lock_timeout}';`;
  await client.exec(`set role ${RUNTIME_ROLE}; ${timeouts}`);
  const elevate = `set local role ${owner}`;
  const elevated = {
    query: (text: string, params?: unknown[], options?: object) =>
      client.transaction(async (t) => {
        await t.exec(elevate);
        return t.query(text, params, options);
      }),
    transaction: <T>(fn: (t: PgliteTransaction) => Promise<T>) =>
      client.transaction(async (t) => {
        await t.exec(elevate);
        return fn(t);
      }),
  };
  const ownerDb = drizzle({
    client: elevated as unknown as PGlite,
    schema,
  }) as unknown as Db;
  // One connection: the statements run in turn inside one embedded transaction.
  const pipelined = <T>(fn: (p: Pipeline) => Promise<T>): Promise<T> =>
    client.transaction((t) =>
      runPipeline(
        async (text, params) => (await t.query<Record<string, unknown>>(text, params)).rows,
        async () => {},
        fn,
      ),
    );
  return {
    db: drizzle(client, { schema }) as unknown as Db,
    ownerDb: async () => ownerDb,
    driver: 'pglite',
    pipelined,
    close,
  };
}

async function openPglite(dir: string): Promise<Handle> {
  const { PGlite } = await import('@electric-sql/pglite');
  if (dir.startsWith('memory://')) {
    const client = await PGlite.create();
    return openPgliteHandle(client, () => client.close());
  }
  const dataDir = path.resolve(dir);
  fs.mkdirSync(path.dirname(dataDir), { recursive: true });
  const releaseLock = acquireDataDirLock(`${dataDir}.lock`);
  try {
    const client = await PGlite.create({ dataDir });
    return await openPgliteHandle(client, async () => {
      await client.close();
      releaseLock();
    });
  } catch (error) {
    releaseLock();
    throw error;
  }
}

/**
 * PGlite is one process, one connection: a second process on the same folder silently loses
 * writes. Hold a lock file with our pid and refuse a second opener with a clear message.
 */
export function acquireDataDirLock(lockPath: string): () => void {
  for (let attempt = 0; attempt < 2; attempt += 1) {
    try {
      fs.writeFileSync(lockPath, String(process.pid), { flag: 'wx' });
      const release = () => {
        try {
          if (fs.readFileSync(lockPath, 'utf8') === String(process.pid)) fs.unlinkSync(lockPath);
        } catch {
          // already gone
        }
      };
      process.once('exit', release);
      return release;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = Number.parseInt(fs.readFileSync(lockPath, 'utf8'), 10);
      if (Number.isInteger(holder) && holder > 0 && holder !== process.pid && isAlive(holder)) {
        throw new Error(
          `The embedded database is already in use by process ${holder} (lock file ${lockPath}). ` +
            'Stop that process first, or set DATABASE_URL to use a PostgreSQL server.',
        );
      }
      fs.rmSync(lockPath, { force: true }); // stale lock from a process that is gone
    }
  }
  throw new Error(`Could not take the embedded database lock ${lockPath}`);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Runs raw SQL and returns its rows on both drivers (postgres.js: array, PGlite: { rows }). */
export async function execRows<T extends Record<string, unknown>>(
  executor: Executor,
  query: SQL,
): Promise<T[]> {
  const result = (await executor.execute(query)) as unknown;
  if (Array.isArray(result)) return result as T[];
  return ((result as { rows?: T[] }).rows ?? []) as T[];
}

/** The tenant transaction the current async call chain runs in, if any (see withOrgRead). */
const orgScope = new AsyncLocalStorage<{ orgId: string; tx: Tx }>();

/**
 * Runs tenant work in one transaction with `app.org_id` set transaction-locally, so row-level
 * security policies (and nothing session-level: pgbouncer transaction mode keeps working) see
 * the organization.
 */
export async function withOrgTx<T>(orgId: string, fn: (tx: Tx) => Promise<T>): Promise<T> {
  const db = await getDb();
  return db.transaction(async (tx) => {
    await tx.execute(sql`select set_config('app.org_id', ${orgId}, true)`);
    return orgScope.run({ orgId, tx }, () => fn(tx));
  });
}

/**
 * Org-scoped reads: inside a tenant transaction of the same org (withOrgTx or another
 * withOrgRead), they join it (the embedded database has one connection, so a second transaction
 * would wait forever); otherwise they get a short transaction of their own with `app.org_id` set.
 */
export async function withOrgRead<T>(orgId: string, fn: (db: Executor) => Promise<T>): Promise<T> {
  const current = orgScope.getStore();
  if (current && current.orgId === orgId) return fn(current.tx);
  return withOrgTx(orgId, fn);
}

/**
 * Lookups before an organization is known. `app.user_id` lets a person read their own
 * memberships across organizations (and nothing else of those organizations).
 */
export async function withUserRead<T>(userId: string, fn: (tx: Tx) => Promise<T>): Promise<T> {
  const db = await getDb();
  return db.transaction(async (tx) => {
    await tx.execute(sql`select set_config('app.user_id', ${userId}, true)`);
    return fn(tx);
  });
}

/** Tables whose rows a presented secret (by its sha256) may find before the org is known. */
export type TokenTable = 'invitations' | 'api_keys' | 'report_shares';

/**
 * Runs `fn` in a transaction scoped to the organization that holds this token hash in `table`:
 * `app.token_hash` lets exactly that row be found (a policy on the table), and `app.org_id` is
 * then set to its organization (empty when unknown: every tenant read returns nothing). `orgId` is
 * null for an unknown token.
 */
export async function withTokenOrgTx<T>(
  table: TokenTable,
  tokenHash: string,
  fn: (tx: Tx, orgId: string | null) => Promise<T>,
): Promise<T> {
  return withOrgFoundBy(
    sql`select set_config('app.token_hash', ${tokenHash}, true),
      set_config('app.org_id', coalesce((select org_id::text from ${sql.identifier(table)}
        where token_hash = ${tokenHash}), ''), true) as org_id`,
    fn,
  );
}

/**
 * Runs `fn` in a transaction scoped to the organization with this URL slug (`app.org_id` empty
 * when there is none, so tenant reads return nothing).
 */
export async function withSlugOrgTx<T>(
  slug: string,
  fn: (tx: Tx, orgId: string | null) => Promise<T>,
): Promise<T> {
  return withOrgFoundBy(
    sql`select set_config('app.org_id', coalesce((select id::text from organizations
      where slug = ${slug}), ''), true) as org_id`,
    fn,
  );
}

/**
 * A transaction whose first statement sets `app.org_id` from a lookup and returns it as
 * `org_id` (empty when nothing was found); `fn` then runs in that org's scope (withOrgRead joins).
 */
async function withOrgFoundBy<T>(
  lookup: SQL,
  fn: (tx: Tx, orgId: string | null) => Promise<T>,
): Promise<T> {
  const db = await getDb();
  return db.transaction(async (tx) => {
    const [row] = await execRows<{ org_id: string }>(tx, lookup);
    const orgId = row?.org_id || null;
    if (!orgId) return fn(tx, null);
    return orgScope.run({ orgId, tx }, () => fn(tx, orgId));
  });
}

export { schema };
