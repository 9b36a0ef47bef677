import { sql } from 'drizzle-orm';
import {
  boolean,
  check,
  index,
  integer,
  numeric,
  pgTable,
  smallint,
  text,
  timestamp,
  uniqueIndex,
  uuid,
  type PgTableExtraConfigValue,
} from 'drizzle-orm/pg-core';

/** People who can sign in. Global (not a tenant table): one account, many organizations. */
export const users = pgTable(
  'users',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    email: text('email').notNull(),
    name: text('name').notNull(),
    passwordHash: text('password_hash').notNull(),
    /** Bumped on password change: JWTs carrying an older version stop working. */
    sessionVersion: integer('session_version').notNull().default(1),
    lastOrgId: uuid('last_org_id'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t): PgTableExtraConfigValue[] => [
    uniqueIndex('users_email_key').on(t.email),
    check('users_email_lowercase', sql`${t.email} = lower(${t.email})`),
  ],
);

/** A tenant. Every tenant table carries its id as `org_id`. */
export const organizations = pgTable(
  'organizations',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    name: text('name').notNull(),
    slug: text('slug').notNull(),
    fyStartMonth: smallint('fy_start_month').notNull().default(1),
    timeZone: text('time_zone').notNull().default('UTC'),
    greenThreshold: numeric('green_threshold', { precision: 6, scale: 4 }).notNull().default('1'),
    amberThreshold: numeric('amber_threshold', { precision: 6, scale: 4 })
      .notNull()
      .default('0.85'),
    /**
     * Share of an open period that must elapse before a flow (`sum`) KPI is graded against its
     * pace; until then it is `in_progress` (DESIGN.md, "Targets, progress and status").
     */
    gradingMinElapsed: numeric('grading_min_elapsed', { precision: 6, scale: 4 })
      .notNull()
      .default('0.3333'),
    /** Guard rail: most active (non-individual) KPIs one unit should own. */
    maxKpisPerUnit: smallint('max_kpis_per_unit').notNull().default(7),
    /** Guard rail: most active KPIs one person should own. */
    maxKpisPerPerson: smallint('max_kpis_per_person').notNull().default(5),
    /** Check-in reminder this many days before a period's last day (DESIGN.md, "Due"). */
    reminderDaysBefore: smallint('reminder_days_before').notNull().default(3),
    /** A period's values are due this many days after its last day (the second reminder). */
    reminderGraceDays: smallint('reminder_grace_days').notNull().default(2),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t): PgTableExtraConfigValue[] => [
    uniqueIndex('organizations_slug_key').on(t.slug),
    check('organizations_fy_start_month_range', sql`${t.fyStartMonth} between 1 and 12`),
    check(
      'organizations_thresholds_order',
      sql`${t.amberThreshold} > 0 and ${t.amberThreshold} <= ${t.greenThreshold}`,
    ),
    check(
      'organizations_grading_min_elapsed_range',
      sql`${t.gradingMinElapsed} >= 0 and ${t.gradingMinElapsed} < 1`,
    ),
    check('organizations_max_kpis_per_unit_range', sql`${t.maxKpisPerUnit} between 1 and 1000`),
    check('organizations_max_kpis_per_person_range', sql`${t.maxKpisPerPerson} between 1 and 1000`),
    check(
      'organizations_reminder_days_before_range',
      sql`${t.reminderDaysBefore} between 1 and 27`,
    ),
    check('organizations_reminder_grace_days_range', sql`${t.reminderGraceDays} between 0 and 27`),
  ],
);

/** Sign-in attempts, kept in Postgres so throttling holds across app instances. */
export const signInAttempts = pgTable(
  'sign_in_attempts',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    email: text('email').notNull(),
    ip: text('ip').notNull(),
    succeeded: boolean('succeeded').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t): PgTableExtraConfigValue[] => [
    index('sign_in_attempts_email_idx').on(t.email, t.createdAt),
    index('sign_in_attempts_ip_idx').on(t.ip, t.createdAt),
  ],
);
