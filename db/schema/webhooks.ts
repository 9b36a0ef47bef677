import { sql } from 'drizzle-orm';
import {
  bigserial,
  boolean,
  check,
  date,
  foreignKey,
  index,
  integer,
  jsonb,
  pgEnum,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uuid,
  type PgTableExtraConfigValue,
  unique,
} from 'drizzle-orm/pg-core';
import { cadenceEnum } from './enums';
import { organizations, users } from './identity';

/** Where a webhook delivery stands (the same state machine as mail deliveries). */
export const webhookDeliveryStatusEnum = pgEnum('webhook_delivery_status', [
  'pending',
  'sending',
  'retrying',
  'delivered',
  'failed',
]);

/**
 * An organization's webhook endpoint: an https URL, the events it subscribes to and its signing
 * secret (Standard Webhooks `whsec_...`, sealed with the integrations key; shown once). An
 * endpoint failing continuously for a day (`failing_since`) is disabled.
 */
export const webhookEndpoints = pgTable(
  'webhook_endpoints',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    orgId: uuid('org_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    url: text('url').notNull(),
    description: text('description').notNull().default(''),
    events: text('events').array().notNull(),
    secretSealed: text('secret_sealed').notNull(),
    enabled: boolean('enabled').notNull().default(true),
    /** Why it was disabled by the app (null when enabled, or disabled by an admin). */
    disabledReason: text('disabled_reason'),
    /** The first failed attempt since the last success; null while it works. */
    failingSince: timestamp('failing_since', { withTimezone: true }),
    createdByUserId: uuid('created_by_user_id').references(() => users.id, {
      onDelete: 'set null',
    }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t): PgTableExtraConfigValue[] => [
    unique('webhook_endpoints_org_id_key').on(t.orgId, t.id),
    index('webhook_endpoints_org_idx').on(t.orgId, t.createdAt),
    check('webhook_endpoints_url_length', sql`char_length(${t.url}) between 8 and 2000`),
    check('webhook_endpoints_events_nonempty', sql`cardinality(${t.events}) > 0`),
  ],
);

/**
 * The webhook outbox: one row per event, written in the transaction of the change that caused it
 * (only while an enabled endpoint of the org subscribes to its type). The delivery job turns each
 * into one delivery per subscribed endpoint and deletes it in the same transaction.
 */
export const webhookEvents = pgTable(
  'webhook_events',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    seq: bigserial('seq', { mode: 'number' }).notNull(),
    orgId: uuid('org_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    type: text('type').notNull(),
    /** The event's `data` object. */
    payload: jsonb('payload').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t): PgTableExtraConfigValue[] => [
    unique('webhook_events_org_id_key').on(t.orgId, t.id),
    index('webhook_events_org_idx').on(t.orgId, t.seq),
  ],
);

/**
 * One event for one endpoint: the exact body sent (so a retry or a resend signs the same bytes),
 * claimed by a worker before each attempt (status `sending` with a lease), retried with
 * exponential backoff. Its id is the `webhook-id` header, the same on every attempt.
 */
export const webhookDeliveries = pgTable(
  'webhook_deliveries',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    orgId: uuid('org_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    endpointId: uuid('endpoint_id').notNull(),
    eventId: uuid('event_id').notNull(),
    eventType: text('event_type').notNull(),
    body: text('body').notNull(),
    status: webhookDeliveryStatusEnum('status').notNull(),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: timestamp('next_attempt_at', { withTimezone: true }).notNull(),
    claimedUntil: timestamp('claimed_until', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
  },
  (t): PgTableExtraConfigValue[] => [
    unique('webhook_deliveries_org_id_key').on(t.orgId, t.id),
    foreignKey({
      name: 'webhook_deliveries_endpoint_fk',
      columns: [t.orgId, t.endpointId],
      foreignColumns: [webhookEndpoints.orgId, webhookEndpoints.id],
    }).onDelete('cascade'),
    index('webhook_deliveries_due_idx').on(t.orgId, t.status, t.nextAttemptAt),
    index('webhook_deliveries_endpoint_idx').on(t.endpointId, t.createdAt),
    check('webhook_deliveries_attempts_nonnegative', sql`${t.attempts} >= 0`),
  ],
);

/** The delivery log: one row per attempt (status code or error, duration). */
export const webhookAttempts = pgTable(
  'webhook_attempts',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    orgId: uuid('org_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    deliveryId: uuid('delivery_id').notNull(),
    endpointId: uuid('endpoint_id').notNull(),
    attempt: integer('attempt').notNull(),
    statusCode: integer('status_code'),
    durationMs: integer('duration_ms').notNull(),
    error: text('error'),
    attemptedAt: timestamp('attempted_at', { withTimezone: true }).notNull(),
  },
  (t): PgTableExtraConfigValue[] => [
    unique('webhook_attempts_org_id_key').on(t.orgId, t.id),
    index('webhook_attempts_endpoint_idx').on(t.orgId, t.endpointId, t.attemptedAt),
    foreignKey({
      name: 'webhook_attempts_delivery_fk',
      columns: [t.orgId, t.deliveryId],
      foreignColumns: [webhookDeliveries.orgId, webhookDeliveries.id],
    }).onDelete('cascade'),
    foreignKey({
      name: 'webhook_attempts_endpoint_fk',
      columns: [t.orgId, t.endpointId],
      foreignColumns: [webhookEndpoints.orgId, webhookEndpoints.id],
    }).onDelete('cascade'),
  ],
);

/** Per organization and cadence: the last period whose closing was announced (`period.closed`). */
export const webhookPeriodMarks = pgTable(
  'webhook_period_marks',
  {
    orgId: uuid('org_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    cadence: cadenceEnum('cadence').notNull(),
    periodStart: date('period_start', { mode: 'string' }).notNull(),
  },
  (t): PgTableExtraConfigValue[] => [
    primaryKey({ name: 'webhook_period_marks_pkey', columns: [t.orgId, t.cadence] }),
  ],
);
