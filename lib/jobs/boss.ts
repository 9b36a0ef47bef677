import PgBoss from 'pg-boss';
import { getDbHandle } from '@/db/client';
import { databaseEnv } from '@/db/env';

/*
 * The queue: pg-boss 10.4.2 on the app's own Postgres (no new server). 10.x because 11 and 12
 * need Node 22 (this app runs on Node 20). pg-boss keeps its jobs, cron schedules and their
 * cross-instance locking in its own schema (`pgboss`), which it creates and migrates itself and
 * extends with a table per queue, so it connects as the owner (MIGRATION_DATABASE_URL, else
 * DATABASE_URL) through its own small `pg` pool: postgres.js cannot be shared with it. On the
 * embedded database it runs in-process through its `db.executeSql` adapter on the one
 * connection (as the owner, see Handle.ownerSql). Job handlers still work as the runtime role
 * through lib/dal, under row-level security.
 */

const POOL_MAX = 3;

/** A pg-boss instance for this process's database (not started). */
export async function createBoss(): Promise<PgBoss> {
  const config = databaseEnv();
  const common = {
    schema: 'pgboss',
    // Finished jobs are kept a week for inspection; nothing of ours depends on them.
    deleteAfterDays: 7,
  };
  if (config.DATABASE_URL) {
    return new PgBoss({
      ...common,
      connectionString: config.MIGRATION_DATABASE_URL ?? config.DATABASE_URL,
      max: POOL_MAX,
      application_name: 'kpi-cascade-jobs',
    });
  }
  const handle = await getDbHandle();
  const ownerSql = handle.ownerSql;
  if (!ownerSql) throw new Error('The embedded database gives the job queue no connection.');
  return new PgBoss({
    ...common,
    db: { executeSql: (text: string, values: unknown[]) => ownerSql(text, values) },
  });
}
