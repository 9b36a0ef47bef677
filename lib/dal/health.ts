import { sql } from 'drizzle-orm';
import { getDb } from '@/db/client';

/**
 * One round trip to the database (`select 1`), for health checks. Not tenant data: no org scope.
 * Throws when the database cannot be reached.
 */
export async function pingDatabase(): Promise<void> {
  const db = await getDb();
  await db.execute(sql`select 1`);
}
