import fs from 'node:fs';
import path from 'node:path';
import type { PGlite, Transaction as PgliteTransaction } from '@electric-sql/pglite';
import type { Db, Handle, PipelineChannel } from './handle';
import { migratePglite } from './migrate';
import { acquireDataDirLock } from './pglite-lock';
import { RUNTIME_ROLE, RUNTIME_ROLE_TIMEOUTS } from './runtime-role';
import * as schema from './schema';

/**
 * Opens (and migrates) the embedded database in `dir` (`memory://` for a throwaway one), holding
 * the folder's lock file while it is open.
 */
export async function openPglite(dir: string): Promise<Handle> {
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
  const pipelined = <T>(fn: (channel: PipelineChannel) => Promise<T>): Promise<T> =>
    client.transaction((t) =>
      fn({
        send: async (text, params) => (await t.query<Record<string, unknown>>(text, params)).rows,
        finish: async () => {},
      }),
    );
  const ownerSql = (text: string, values?: unknown[]) =>
    client.transaction(async (t) => {
      await t.exec(elevate);
      if (values?.length)
        return { rows: (await t.query<Record<string, unknown>>(text, values)).rows };
      const results = await t.exec(text);
      return { rows: (results.at(-1)?.rows ?? []) as Record<string, unknown>[] };
    });
  return {
    db: drizzle(client, { schema }) as unknown as Db,
    ownerDb: async () => ownerDb,
    driver: 'pglite',
    pipelined,
    ownerSql,
    close,
  };
}
