import { bigint, integer, pgTable, primaryKey, uuid } from 'drizzle-orm/pg-core';
import type { PgTableExtraConfigValue } from 'drizzle-orm/pg-core';
import { organizations } from './identity';

/**
 * The organization's data version, for the dashboards' read cache.
 * Statement-level triggers on every table a dashboard reads (migration 0007) add 1 to one slot
 * row of the org in the same transaction as the write, so the sum of an org's slots changes with
 * every committed write. Several slots (one per concurrently writing transaction, reused with
 * SKIP LOCKED) let writers of one org never wait on each other's version row.
 */
export const orgDataVersions = pgTable(
  'org_data_versions',
  {
    orgId: uuid('org_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    slot: integer('slot').notNull(),
    version: bigint('version', { mode: 'number' }).notNull().default(0),
  },
  (t): PgTableExtraConfigValue[] => [
    primaryKey({ name: 'org_data_versions_pkey', columns: [t.orgId, t.slot] }),
  ],
);
