import { sql } from 'drizzle-orm';
import {
  check,
  foreignKey,
  index,
  integer,
  pgTable,
  primaryKey,
  text,
  timestamp,
  unique,
  uniqueIndex,
  uuid,
  type PgTableExtraConfigValue,
} from 'drizzle-orm/pg-core';
import { kpis } from './cascade';
import { organizations, users } from './identity';

/**
 * A read-only PostgreSQL database an organization pulls KPI values from (issue 23, item 3). The
 * connection URL is sealed with the `integrations` key (lib/security/secret-box.ts); only its
 * host and database name are kept in the clear, for display.
 */
export const sqlSources = pgTable(
  'sql_sources',
  {
    id: uuid('id').notNull().defaultRandom(),
    orgId: uuid('org_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    /** `v1.<iv>.<tag>.<ciphertext>`: the connection URL, password included. */
    urlEncrypted: text('url_encrypted').notNull(),
    /** Host (and port) and database of the URL, shown instead of it. */
    host: text('host').notNull(),
    database: text('database').notNull(),
    createdByUserId: uuid('created_by_user_id').references(() => users.id, {
      onDelete: 'set null',
    }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t): PgTableExtraConfigValue[] => [
    primaryKey({ name: 'sql_sources_pkey', columns: [t.orgId, t.id] }),
    unique('sql_sources_id_key').on(t.id),
    uniqueIndex('sql_sources_name_key').on(t.orgId, t.name),
    check('sql_sources_name_length', sql`char_length(${t.name}) between 1 and 80`),
  ],
);

/**
 * A KPI's scheduled pull: a query over one source returning rows of (date, value), run every
 * hour, day or week from `next_run_at`. One per KPI.
 */
export const kpiSqlPulls = pgTable(
  'kpi_sql_pulls',
  {
    id: uuid('id').notNull().defaultRandom(),
    orgId: uuid('org_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    kpiId: uuid('kpi_id').notNull(),
    sourceId: uuid('source_id').notNull(),
    query: text('query').notNull(),
    /** `hourly`, `daily` or `weekly`. */
    schedule: text('schedule').notNull(),
    /** When the scheduler runs it next (a save sets it to the save's time: pulled soon). */
    nextRunAt: timestamp('next_run_at', { withTimezone: true }).notNull().defaultNow(),
    updatedByUserId: uuid('updated_by_user_id').references(() => users.id, {
      onDelete: 'set null',
    }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t): PgTableExtraConfigValue[] => [
    primaryKey({ name: 'kpi_sql_pulls_pkey', columns: [t.orgId, t.id] }),
    unique('kpi_sql_pulls_id_key').on(t.id),
    uniqueIndex('kpi_sql_pulls_kpi_key').on(t.orgId, t.kpiId),
    index('kpi_sql_pulls_due_idx').on(t.orgId, t.nextRunAt),
    foreignKey({
      name: 'kpi_sql_pulls_kpi_fk',
      columns: [t.orgId, t.kpiId],
      foreignColumns: [kpis.orgId, kpis.id],
    }).onDelete('cascade'),
    foreignKey({
      name: 'kpi_sql_pulls_source_fk',
      columns: [t.orgId, t.sourceId],
      foreignColumns: [sqlSources.orgId, sqlSources.id],
    }).onDelete('cascade'),
    check('kpi_sql_pulls_schedule', sql`${t.schedule} in ('hourly', 'daily', 'weekly')`),
    check('kpi_sql_pulls_query_length', sql`char_length(${t.query}) between 1 and 10000`),
  ],
);

/**
 * The pull log: one row per run of a KPI's pull, successful or not (a failed run wrote nothing
 * else). Kept when the pull is deleted; goes with its source or KPI.
 */
export const sqlPullRuns = pgTable(
  'sql_pull_runs',
  {
    id: uuid('id').notNull().defaultRandom(),
    orgId: uuid('org_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    sourceId: uuid('source_id').notNull(),
    kpiId: uuid('kpi_id').notNull(),
    /** `ok` or `failed`. */
    status: text('status').notNull(),
    rowsRead: integer('rows_read').notNull().default(0),
    rowsWritten: integer('rows_written').notNull().default(0),
    error: text('error'),
    /** `schedule` or `manual` ("Pull now"). */
    trigger: text('trigger').notNull(),
    startedAt: timestamp('started_at', { withTimezone: true }).notNull(),
    finishedAt: timestamp('finished_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t): PgTableExtraConfigValue[] => [
    primaryKey({ name: 'sql_pull_runs_pkey', columns: [t.orgId, t.id] }),
    index('sql_pull_runs_source_idx').on(t.orgId, t.sourceId, t.finishedAt),
    index('sql_pull_runs_kpi_idx').on(t.orgId, t.kpiId, t.finishedAt),
    foreignKey({
      name: 'sql_pull_runs_kpi_fk',
      columns: [t.orgId, t.kpiId],
      foreignColumns: [kpis.orgId, kpis.id],
    }).onDelete('cascade'),
    foreignKey({
      name: 'sql_pull_runs_source_fk',
      columns: [t.orgId, t.sourceId],
      foreignColumns: [sqlSources.orgId, sqlSources.id],
    }).onDelete('cascade'),
    check('sql_pull_runs_status', sql`${t.status} in ('ok', 'failed')`),
    check('sql_pull_runs_trigger', sql`${t.trigger} in ('schedule', 'manual')`),
  ],
);
