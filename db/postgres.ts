import { sql } from 'drizzle-orm';
import type { Db, Handle, PipelineChannel } from './handle';
import { RUNTIME_ROLE } from './runtime-role';
import * as schema from './schema';

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

/**
 * Opens postgres.js pools on a server (already migrated): the app's as the runtime role at `url`,
 * the owner's at `migrationUrl` on first use. `onRetired` hears when a lost connection retired
 * this pool, so the caller opens a fresh one next time. `transactionPooler` (DATABASE_POOLER=
 * transaction: pgbouncer in transaction mode between the app and the server) sends every statement
 * unnamed (a named one may meet another server connection), and one statement at a time on a
 * connection: postgres.js pipelines statements on a busy connection, and pgbouncer before 1.21
 * (Debian ships 1.18) hands the server connection back to its pool at the first statement's end
 * outside a transaction, dropping the answers of the rest ("got packet from server when not
 * linked"), so the request waiting on them hung until its client gave up (`test:scale`, 1 request
 * in 300-700, 2026-12-06). The app's pipelined transactions (db/pipeline.ts) still pipeline there,
 * on a pool of their own: their statements go out together only after BEGIN, and a pooler keeps
 * a transaction's server connection until it ends, so every answer comes back on it.
 */
export async function openPostgres(
  url: string,
  migrationUrl: string,
  {
    max,
    transactionPooler,
    onRetired,
  }: { max: number; transactionPooler: boolean; onRetired: (handle: Handle) => void },
): Promise<Handle> {
  const { default: postgres } = await import('postgres');
  const { drizzle } = await import('drizzle-orm/postgres-js');
  const prepare = !transactionPooler;
  const connect = (connectionUrl: string, poolMax: number, pipeline = !transactionPooler) =>
    postgres(connectionUrl, {
      max: poolMax,
      connect_timeout: 5,
      idle_timeout: 30,
      prepare,
      onnotice: () => {},
      // 0: a connection takes its next statement once the last one has answered (an option of
      // postgres.js that its types leave out; 100 is its default).
      ...({ max_pipeline: pipeline ? 100 : 0 } as object),
    });
  const client = connect(url, max);
  // The pipelined transactions' connections (reserved, BEGIN first): the app's pool itself, or
  // behind a pooler a pool that pipelines (see above), with the parsers and serializers drizzle
  // gives the app's pool (constructing a drizzle database sets them on its client).
  const txClient = transactionPooler ? connect(url, max, true) : client;
  if (txClient !== client) drizzle(txClient);
  let owner: { client: ReturnType<typeof postgres>; db: Db } | undefined;
  // After the server restarts, postgres.js can keep connections that never recover (a reconnect
  // stuck until CONNECT_TIMEOUT, again and again). So the first query that fails for a lost
  // connection retires this pool: the next getDb() opens a fresh one, and this one is ended once
  // its queries in flight had a few seconds to finish.
  let retired = false;
  const retire = (error: unknown) => {
    if (retired || !isConnectionLost(error)) return;
    retired = true;
    onRetired(handle);
    void client.end({ timeout: 3 }).catch(() => {});
    if (txClient !== client) void txClient.end({ timeout: 3 }).catch(() => {});
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
  const pipelined = async <T>(fn: (channel: PipelineChannel) => Promise<T>): Promise<T> => {
    const reserved = await txClient.reserve().catch((error: unknown) => {
      retire(error);
      throw error;
    });
    const send = (text: string, params: unknown[] = []) => {
      // Named prepared statements (postgres.js caches them per connection): the texts of a hot
      // path repeat with new parameters, and planning its CTEs costs more than running them.
      // Behind a transaction-mode pooler they are unnamed (a named one may meet another server
      // connection); the transaction's generic-plan setting still spares most of the planning.
      const query = reserved.unsafe(text, params as never[], {
        prepare,
      }) as unknown as Promise<Record<string, unknown>[]>;
      query.catch(retire);
      return query;
    };
    try {
      // Not awaited: BEGIN travels with the first statements.
      const begun = send('begin');
      begun.catch(() => {});
      return await fn({
        send: (text, params) => send(text, params),
        finish: async (command) => {
          await begun;
          const result = (await send(command)) as unknown as { command?: string };
          // A statement failed before: the server answered COMMIT with ROLLBACK.
          if (command === 'commit' && result.command === 'ROLLBACK')
            throw new Error('transaction rolled back');
        },
      });
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
      await Promise.all([
        client.end({ timeout: 5 }),
        txClient === client ? undefined : txClient.end({ timeout: 5 }),
        owner?.client.end({ timeout: 5 }),
      ]);
    },
  };
  return handle;
}

/** Row-level security means nothing for a superuser or a BYPASSRLS role: say so once at start. */
async function warnIfBypassingRls(db: Db): Promise<void> {
  // postgres.js: execute() resolves to the rows themselves.
  const [role] = (await db.execute(
    sql`select rolname as name, (rolsuper or rolbypassrls) as bypasses
      from pg_roles where rolname = current_user`,
  )) as unknown as { name: string; bypasses: boolean }[];
  if (role?.bypasses && process.env.NODE_ENV !== 'test' && !process.env.VITEST) {
    console.warn(
      `DATABASE_URL connects as ${role.name}, which bypasses row-level security: connect the app ` +
        `as ${RUNTIME_ROLE} and run migrations through MIGRATION_DATABASE_URL (see README).`,
    );
  }
}
