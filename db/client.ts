import { AsyncLocalStorage } from 'node:async_hooks';
import { sql, type SQL } from 'drizzle-orm';
import { databaseEnv } from './env';
import type { Db, Handle } from './handle';
import { migratePostgres } from './migrate';
import { openPglite } from './pglite';
import { openPostgres } from './postgres';

export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];
export type Executor = Db | Tx;

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

/** Closes the process-wide connection (scripts and tests). */
export async function closeDb(): Promise<void> {
  const g = globalThis as GlobalWithDb;
  const pending = g[globalKey];
  delete g[globalKey];
  if (pending) await (await pending).close();
}

let postgresMigrated = false;

async function open(): Promise<Handle> {
  const config = databaseEnv();
  if (config.DATABASE_URL) {
    const migrationUrl = config.MIGRATION_DATABASE_URL ?? config.DATABASE_URL;
    // A pool replaced after a lost server (see openPostgres) does not migrate again.
    if (!postgresMigrated) {
      await migratePostgres(migrationUrl);
      postgresMigrated = true;
    }
    return openPostgres(config.DATABASE_URL, migrationUrl, {
      max: config.DATABASE_POOL_MAX,
      transactionPooler: config.DATABASE_POOLER === 'transaction',
      onRetired: forget,
    });
  }
  return openPglite(config.PGLITE_DIR);
}

/** A retired pool stops being the process-wide one (unless another has replaced it already). */
function forget(handle: Handle): void {
  const g = globalThis as GlobalWithDb;
  const current = g[globalKey];
  void current?.then(
    (h) => {
      if (h === handle && g[globalKey] === current) delete g[globalKey];
    },
    () => {},
  );
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
 * Runs `fn` in a transaction scoped to the organization whose single sign-on serves this e-mail
 * domain: `app.sso_domain` lets exactly that org_sso_domains row be found (a policy on the
 * table), and `app.org_id` is set to its organization (null when no organization claims it).
 */
export async function withSsoDomainOrgTx<T>(
  domain: string,
  fn: (tx: Tx, orgId: string | null) => Promise<T>,
): Promise<T> {
  return withOrgFoundBy(
    sql`select set_config('app.sso_domain', ${domain}, true),
      set_config('app.org_id', coalesce((select org_id::text from org_sso_domains
        where domain = ${domain}), ''), true) as org_id`,
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
