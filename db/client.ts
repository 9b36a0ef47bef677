import fs from 'node:fs';
import path from 'node:path';
import { sql, type SQL } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { env } from '@/lib/env';
import * as schema from './schema';
import { migratePglite, migratePostgres } from './migrate';

export type Db = PgDatabase<PgQueryResultHKT, typeof schema>;
export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];
export type Executor = Db | Tx;

type Handle = { db: Db; driver: 'postgres' | 'pglite'; close: () => Promise<void> };

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

/** The process-wide drizzle instance, migrated and ready. */
export async function getDb(): Promise<Db> {
  return (await getDbHandle()).db;
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
    // A pool replaced after a lost server (see openPostgres) does not migrate again.
    if (!postgresMigrated) {
      await migratePostgres(config.DATABASE_URL);
      postgresMigrated = true;
    }
    return openPostgres(config.DATABASE_URL, config.DATABASE_POOL_MAX);
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

async function openPostgres(url: string, max: number): Promise<Handle> {
  const { default: postgres } = await import('postgres');
  const { drizzle } = await import('drizzle-orm/postgres-js');
  const client = postgres(url, {
    max,
    connect_timeout: 5,
    idle_timeout: 30,
    onnotice: () => {},
  });
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
  const handle: Handle = { db, driver: 'postgres', close: () => client.end({ timeout: 5 }) };
  return handle;
}

async function openPglite(dir: string): Promise<Handle> {
  const { PGlite } = await import('@electric-sql/pglite');
  const { drizzle } = await import('drizzle-orm/pglite');
  if (dir.startsWith('memory://')) {
    const client = await PGlite.create();
    await migratePglite(client);
    return {
      db: drizzle(client, { schema }) as unknown as Db,
      driver: 'pglite',
      close: () => client.close(),
    };
  }
  const dataDir = path.resolve(dir);
  fs.mkdirSync(path.dirname(dataDir), { recursive: true });
  const releaseLock = acquireDataDirLock(`${dataDir}.lock`);
  try {
    const client = await PGlite.create({ dataDir });
    await migratePglite(client);
    return {
      db: drizzle(client, { schema }) as unknown as Db,
      driver: 'pglite',
      close: async () => {
        await client.close();
        releaseLock();
      },
    };
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

/**
 * Runs tenant work in one transaction with `app.org_id` set transaction-locally, so row-level
 * security policies (and nothing session-level) see the organization.
 */
export async function withOrgTx<T>(orgId: string, fn: (tx: Tx) => Promise<T>): Promise<T> {
  const db = await getDb();
  return db.transaction(async (tx) => {
    await tx.execute(sql`select set_config('app.org_id', ${orgId}, true)`);
    return fn(tx);
  });
}

export { schema };
