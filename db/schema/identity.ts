import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  check,
  index,
  integer,
  numeric,
  pgTable,
  primaryKey,
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
    /** When the person proved they receive mail at `email` (a link, or an accepted invitation). */
    emailVerifiedAt: timestamp('email_verified_at', { withTimezone: true }),
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
    /** How numbers, currencies and dates are written for this organization (a BCP 47 tag). */
    locale: text('locale').notNull().default('en-US'),
    /** A missing value goes one lead further up the chain every this many days after its due date. */
    escalationDelayDays: smallint('escalation_delay_days').notNull().default(3),
    /** Owners and admins must have a second factor (TOTP) before they may use the organization. */
    requireAdminTotp: boolean('require_admin_totp').notNull().default(false),
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
      'organizations_locale_supported',
      sql`${t.locale} in ('en-US', 'en-GB', 'de-DE', 'fr-FR')`,
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
    check(
      'organizations_escalation_delay_days_range',
      sql`${t.escalationDelayDays} between 1 and 30`,
    ),
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

/**
 * One signed-in browser session. The session JWT carries its id; every request checks that the
 * row exists and is not revoked (one primary-key lookup joined into the membership read), so
 * signing out ends the session for good, not just in that browser.
 */
export const userSessions = pgTable(
  'user_sessions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
    /**
     * Set when the session was opened through an organization's single sign-on: that provider
     * vouched for the person in that organization only, so the session opens no other one.
     */
    ssoOrgId: uuid('sso_org_id').references(() => organizations.id, { onDelete: 'cascade' }),
  },
  (t): PgTableExtraConfigValue[] => [index('user_sessions_user_idx').on(t.userId, t.expiresAt)],
);

/**
 * Counters behind every rate limit and sign-in back-off (lib/dal/rate-limit.ts), in Postgres so
 * that several app instances share them. One row per (bucket, key): a fixed window's count, or a
 * run of failures with the time until which further attempts wait.
 */
export const rateLimits = pgTable(
  'rate_limits',
  {
    bucket: text('bucket').notNull(),
    key: text('key').notNull(),
    count: integer('count').notNull().default(0),
    windowStart: timestamp('window_start', { withTimezone: true }).notNull().defaultNow(),
    blockedUntil: timestamp('blocked_until', { withTimezone: true }),
    /** After this the row means nothing (its window ended, its failures are forgotten). */
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
  },
  (t): PgTableExtraConfigValue[] => [
    primaryKey({ name: 'rate_limits_pkey', columns: [t.bucket, t.key] }),
    index('rate_limits_expires_idx').on(t.expiresAt),
    check('rate_limits_bucket_length', sql`char_length(${t.bucket}) between 1 and 40`),
    check('rate_limits_key_length', sql`char_length(${t.key}) between 1 and 400`),
  ],
);

/**
 * Single-use links sent by e-mail: password reset (30 minutes) and e-mail verification. Only the
 * sha256 of the random token is stored. A reset link also dies with any password change: it
 * records the session version it was issued under.
 */
export const authTokens = pgTable(
  'auth_tokens',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    purpose: text('purpose').notNull(),
    tokenHash: text('token_hash').notNull(),
    /** The address the link was sent to (a verification link proves only that address). */
    email: text('email').notNull(),
    /** users.password_hash changes make a reset link stale: compared on use. */
    sessionVersion: integer('session_version').notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    usedAt: timestamp('used_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t): PgTableExtraConfigValue[] => [
    uniqueIndex('auth_tokens_token_hash_key').on(t.tokenHash),
    index('auth_tokens_user_idx').on(t.userId, t.purpose),
    check('auth_tokens_purpose', sql`${t.purpose} in ('reset', 'verify')`),
    check('auth_tokens_token_hash_format', sql`${t.tokenHash} ~ '^[0-9a-f]{64}$'`),
  ],
);

/**
 * A person's authenticator-app second factor (TOTP, RFC 6238). The shared secret is stored
 * encrypted (AES-256-GCM, lib/auth/totp-secret-key.ts); `enabledAt` is null while enrolment waits
 * for its first code. `lastStep` is the time step of the last code accepted: a code of that step
 * or an earlier one is refused, so a code cannot be replayed within its window.
 */
export const userTotp = pgTable('user_totp', {
  userId: uuid('user_id')
    .primaryKey()
    .references(() => users.id, { onDelete: 'cascade' }),
  secretEncrypted: text('secret_encrypted').notNull(),
  enabledAt: timestamp('enabled_at', { withTimezone: true }),
  lastStep: bigint('last_step', { mode: 'number' }),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

/** Single-use recovery codes of a second factor: only their sha256 is stored. */
export const userRecoveryCodes = pgTable(
  'user_recovery_codes',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    codeHash: text('code_hash').notNull(),
    usedAt: timestamp('used_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t): PgTableExtraConfigValue[] => [
    uniqueIndex('user_recovery_codes_user_code_key').on(t.userId, t.codeHash),
    check('user_recovery_codes_hash_format', sql`${t.codeHash} ~ '^[0-9a-f]{64}$'`),
  ],
);
