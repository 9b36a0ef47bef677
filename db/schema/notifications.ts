import { sql } from 'drizzle-orm';
import {
  boolean,
  customType,
  check,
  date,
  foreignKey,
  index,
  integer,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
  type PgTableExtraConfigValue,
} from 'drizzle-orm/pg-core';
import { mailDeliveryStatusEnum, notificationKindEnum } from './enums';
import { organizations } from './identity';
import { kpis } from './cascade';
import { memberships } from './org-structure';

/**
 * A person's in-app notification. `dedup_key` (kind, subject, period or crossing) is unique per
 * organization and recipient: whatever runs twice, a notification exists at most once, and so
 * does its mail. Removing the member removes their notifications.
 */
export const notifications = pgTable(
  'notifications',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    orgId: uuid('org_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    recipientUserId: uuid('recipient_user_id').notNull(),
    kind: notificationKindEnum('kind').notNull(),
    dedupKey: text('dedup_key').notNull(),
    subject: text('subject').notNull(),
    body: text('body').notNull(),
    /** App path the notification opens (a KPI page or the check-in screen). */
    link: text('link').notNull(),
    /** The KPI it is about, when it is about one. */
    kpiId: uuid('kpi_id'),
    /** What else it is about (for example `period:month:2026-11-01`). */
    scope: text('scope'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    readAt: timestamp('read_at', { withTimezone: true }),
  },
  (t): PgTableExtraConfigValue[] => [
    uniqueIndex('notifications_dedup_key').on(t.orgId, t.recipientUserId, t.dedupKey),
    // Led by the organization, for the composite foreign keys of its items and deliveries.
    uniqueIndex('notifications_org_id_key').on(t.orgId, t.id),
    index('notifications_inbox_idx').on(t.orgId, t.recipientUserId, t.createdAt),
    foreignKey({
      name: 'notifications_recipient_fk',
      columns: [t.orgId, t.recipientUserId],
      foreignColumns: [memberships.orgId, memberships.userId],
    }).onDelete('cascade'),
    check('notifications_link_is_app_path', sql`${t.link} like '/%'`),
  ],
);

/** Raw bytes (an e-mail attachment): Buffer on postgres.js, Uint8Array on PGlite. */
const bytea = customType<{ data: Uint8Array; driverData: Uint8Array }>({
  dataType: () => 'bytea',
});

/**
 * The e-mail of one notification (at most one: unique `notification_id`). A worker claims it by
 * a state transition (`sending` with a lease in `claimed_until`) before it sends, so two workers
 * or a re-run never send it twice; a claim whose lease ran out (the worker died) is taken over.
 */
export const mailDeliveries = pgTable(
  'mail_deliveries',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    orgId: uuid('org_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    notificationId: uuid('notification_id').notNull(),
    toAddress: text('to_address').notNull(),
    subject: text('subject').notNull(),
    textBody: text('text_body').notNull(),
    htmlBody: text('html_body').notNull(),
    /** The List-Unsubscribe URL of this message (one click, signed token). */
    unsubscribeUrl: text('unsubscribe_url').notNull(),
    status: mailDeliveryStatusEnum('status').notNull(),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: timestamp('next_attempt_at', { withTimezone: true }).notNull(),
    claimedUntil: timestamp('claimed_until', { withTimezone: true }),
    lastError: text('last_error'),
    /** Message-ID header, fixed per delivery so a rare resend after a crash is recognizable. */
    messageId: text('message_id').notNull(),
    sentAt: timestamp('sent_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
    /** One attached file (a scheduled report's PDF): name, MIME type and bytes, or all null. */
    attachmentName: text('attachment_name'),
    attachmentType: text('attachment_type'),
    attachment: bytea('attachment'),
  },
  (t): PgTableExtraConfigValue[] => [
    check(
      'mail_deliveries_attachment_whole',
      sql`(${t.attachmentName} is null) = (${t.attachment} is null) and (${t.attachmentType} is null) = (${t.attachment} is null)`,
    ),
    uniqueIndex('mail_deliveries_notification_key').on(t.orgId, t.notificationId),
    foreignKey({
      name: 'mail_deliveries_notification_fk',
      columns: [t.orgId, t.notificationId],
      foreignColumns: [notifications.orgId, notifications.id],
    }).onDelete('cascade'),
    index('mail_deliveries_due_idx').on(t.status, t.nextAttemptAt),
    index('mail_deliveries_org_created_idx').on(t.orgId, t.createdAt),
    check('mail_deliveries_attempts_nonnegative', sql`${t.attempts} >= 0`),
  ],
);

/** Per person and kind: e-mail on or off (no row: on). The in-app inbox always gets it. */
export const notificationPreferences = pgTable(
  'notification_preferences',
  {
    orgId: uuid('org_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    userId: uuid('user_id').notNull(),
    kind: notificationKindEnum('kind').notNull(),
    email: boolean('email').notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t): PgTableExtraConfigValue[] => [
    primaryKey({ name: 'notification_preferences_pkey', columns: [t.orgId, t.userId, t.kind] }),
    foreignKey({
      name: 'notification_preferences_member_fk',
      columns: [t.orgId, t.userId],
      foreignColumns: [memberships.orgId, memberships.userId],
    }).onDelete('cascade'),
  ],
);

/**
 * What a notification is about, item by item: one row per (KPI, period) a reminder, an
 * escalation or a nudge lists. The record of who was told about which missing value, read by the
 * missing-values list and by the nudge's deduplication. Removing the notification or the KPI
 * removes its rows.
 */
export const notificationItems = pgTable(
  'notification_items',
  {
    orgId: uuid('org_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    notificationId: uuid('notification_id').notNull(),
    kpiId: uuid('kpi_id').notNull(),
    periodStart: date('period_start', { mode: 'string' }).notNull(),
  },
  (t): PgTableExtraConfigValue[] => [
    primaryKey({
      name: 'notification_items_pkey',
      columns: [t.orgId, t.notificationId, t.kpiId, t.periodStart],
    }),
    index('notification_items_kpi_idx').on(t.orgId, t.kpiId, t.periodStart),
    foreignKey({
      name: 'notification_items_notification_fk',
      columns: [t.orgId, t.notificationId],
      foreignColumns: [notifications.orgId, notifications.id],
    }).onDelete('cascade'),
    foreignKey({
      name: 'notification_items_kpi_fk',
      columns: [t.orgId, t.kpiId],
      foreignColumns: [kpis.orgId, kpis.id],
    }).onDelete('cascade'),
  ],
);

/**
 * Per organization: the last ISO week (`2026-W50`) whose weekly digests were settled, every
 * recipient's either created or found empty. The digest job, which runs every quarter hour on
 * the digest day, skips an organization marked for the week instead of reading its reports again
 * for the people with nothing to say.
 */
export const digestWeekMarks = pgTable(
  'digest_week_marks',
  {
    orgId: uuid('org_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    week: text('week').notNull(),
  },
  (t): PgTableExtraConfigValue[] => [
    primaryKey({ name: 'digest_week_marks_pkey', columns: [t.orgId] }),
  ],
);
