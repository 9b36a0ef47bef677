import { sql } from 'drizzle-orm';
import {
  check,
  date,
  foreignKey,
  index,
  integer,
  smallint,
  jsonb,
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
import { reportFrequencyEnum } from './enums';
import { memberships, units } from './org-structure';
import { organizations, users } from './identity';

/**
 * An owner's analysis of one KPI for one of its periods: why it is where it is, and the next
 * action with who does it by when. Append-only: a new revision for every save, so the history of
 * what was said stays (the latest revision is the one reports show).
 */
export const kpiCommentaries = pgTable(
  'kpi_commentaries',
  {
    id: uuid('id').notNull().defaultRandom(),
    orgId: uuid('org_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    kpiId: uuid('kpi_id').notNull(),
    /** First day of the KPI's own period (its cadence) the commentary is about. */
    periodStart: date('period_start', { mode: 'string' }).notNull(),
    /** 1, 2, ... per KPI and period. */
    revision: integer('revision').notNull(),
    analysis: text('analysis').notNull(),
    nextAction: text('next_action').notNull().default(''),
    /** Who does the next action (a member when written; kept when they leave, name via users). */
    actionOwnerUserId: uuid('action_owner_user_id').references(() => users.id, {
      onDelete: 'set null',
    }),
    actionDueOn: date('action_due_on', { mode: 'string' }),
    authorUserId: uuid('author_user_id').references(() => users.id, { onDelete: 'set null' }),
    createdAt: timestamp('created_at', { withTimezone: true, precision: 6 }).notNull().defaultNow(),
  },
  (t): PgTableExtraConfigValue[] => [
    primaryKey({ name: 'kpi_commentaries_pkey', columns: [t.orgId, t.id] }),
    unique('kpi_commentaries_id_key').on(t.id),
    uniqueIndex('kpi_commentaries_revision_key').on(t.orgId, t.kpiId, t.periodStart, t.revision),
    foreignKey({
      name: 'kpi_commentaries_kpi_fk',
      columns: [t.orgId, t.kpiId],
      foreignColumns: [kpis.orgId, kpis.id],
    }).onDelete('cascade'),
    check('kpi_commentaries_revision_positive', sql`${t.revision} >= 1`),
    check('kpi_commentaries_analysis_length', sql`char_length(${t.analysis}) between 1 and 2000`),
    check('kpi_commentaries_next_action_length', sql`char_length(${t.nextAction}) <= 500`),
  ],
);

/**
 * A read-only link to one frozen report for people outside the app. Only the sha256 of the
 * random token is stored; `snapshot` is the computed report as it was at creation.
 */
export const reportShares = pgTable(
  'report_shares',
  {
    id: uuid('id').notNull().defaultRandom(),
    orgId: uuid('org_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    /** sha256 (hex) of the 32-byte random token in the link. */
    tokenHash: text('token_hash').notNull(),
    /** The unit whose subtree the report covers; null for the whole company. */
    scopeUnitId: uuid('scope_unit_id'),
    periodKey: text('period_key').notNull(),
    title: text('title').notNull(),
    snapshot: jsonb('snapshot').notNull(),
    createdByUserId: uuid('created_by_user_id').references(() => users.id, {
      onDelete: 'set null',
    }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
  },
  (t): PgTableExtraConfigValue[] => [
    primaryKey({ name: 'report_shares_pkey', columns: [t.orgId, t.id] }),
    unique('report_shares_id_key').on(t.id),
    uniqueIndex('report_shares_token_hash_key').on(t.tokenHash),
    index('report_shares_org_created_idx').on(t.orgId, t.createdAt),
    foreignKey({
      name: 'report_shares_scope_unit_fk',
      columns: [t.orgId, t.scopeUnitId],
      foreignColumns: [units.orgId, units.id],
    }).onDelete('cascade'),
    check('report_shares_token_hash_format', sql`${t.tokenHash} ~ '^[0-9a-f]{64}$'`),
    check('report_shares_expires_after_created', sql`${t.expiresAt} > ${t.createdAt}`),
  ],
);

/**
 * The period report of a scope (the company, or a unit's subtree), e-mailed with its PDF to
 * chosen members weekly on a weekday (1 Monday .. 7 Sunday) or monthly on a day (1-28).
 */
export const reportSchedules = pgTable(
  'report_schedules',
  {
    id: uuid('id').notNull().defaultRandom(),
    orgId: uuid('org_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    /** The unit whose subtree the report covers; null for the whole company. */
    scopeUnitId: uuid('scope_unit_id'),
    frequency: reportFrequencyEnum('frequency').notNull(),
    weekday: smallint('weekday'),
    dayOfMonth: smallint('day_of_month'),
    createdByUserId: uuid('created_by_user_id').references(() => users.id, {
      onDelete: 'set null',
    }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t): PgTableExtraConfigValue[] => [
    primaryKey({ name: 'report_schedules_pkey', columns: [t.orgId, t.id] }),
    unique('report_schedules_id_key').on(t.id),
    foreignKey({
      name: 'report_schedules_scope_unit_fk',
      columns: [t.orgId, t.scopeUnitId],
      foreignColumns: [units.orgId, units.id],
    }).onDelete('cascade'),
    check(
      'report_schedules_day',
      sql`(${t.frequency} = 'weekly' and ${t.weekday} between 1 and 7 and ${t.dayOfMonth} is null)
        or (${t.frequency} = 'monthly' and ${t.dayOfMonth} between 1 and 28 and ${t.weekday} is null)`,
    ),
  ],
);

/** Who receives a scheduled report: members only (removing the member removes the row). */
export const reportScheduleRecipients = pgTable(
  'report_schedule_recipients',
  {
    orgId: uuid('org_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    scheduleId: uuid('schedule_id').notNull(),
    userId: uuid('user_id').notNull(),
  },
  (t): PgTableExtraConfigValue[] => [
    primaryKey({
      name: 'report_schedule_recipients_pkey',
      columns: [t.orgId, t.scheduleId, t.userId],
    }),
    foreignKey({
      name: 'report_schedule_recipients_schedule_fk',
      columns: [t.orgId, t.scheduleId],
      foreignColumns: [reportSchedules.orgId, reportSchedules.id],
    }).onDelete('cascade'),
    foreignKey({
      name: 'report_schedule_recipients_member_fk',
      columns: [t.orgId, t.userId],
      foreignColumns: [memberships.orgId, memberships.userId],
    }).onDelete('cascade'),
  ],
);
