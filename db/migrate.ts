import path from 'node:path';
import type { PGlite } from '@electric-sql/pglite';

const MIGRATION_LOCK_KEY = 7_270_736_901;

/** The committed drizzle-kit migrations. */
export const migrationsFolder = path.join(process.cwd(), 'db', 'migrations');

/**
 * Applies pending migrations on a server. A dedicated single connection holds a session advisory
 * lock for the whole run, so instances starting together migrate one after the other.
 */
export async function migratePostgres(url: string): Promise<void> {
  const { default: postgres } = await import('postgres');
  const { drizzle } = await import('drizzle-orm/postgres-js');
  const { migrate } = await import('drizzle-orm/postgres-js/migrator');
  const client = postgres(url, { max: 1, connect_timeout: 5, onnotice: () => {} });
  try {
    await client`select pg_advisory_lock(${MIGRATION_LOCK_KEY})`;
    await migrate(drizzle(client), { migrationsFolder });
    await client`select pg_advisory_unlock(${MIGRATION_LOCK_KEY})`;
  } finally {
    await client.end({ timeout: 5 });
  }
}

/** Applies pending migrations on the embedded database (one connection: nothing can race it). */
export async function migratePglite(client: PGlite): Promise<void> {
  const { drizzle } = await import('drizzle-orm/pglite');
  const { migrate } = await import('drizzle-orm/pglite/migrator');
  await migrate(drizzle(client), { migrationsFolder });
}
