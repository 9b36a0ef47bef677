import { sql } from 'drizzle-orm';
import {
  check,
  foreignKey,
  index,
  integer,
  jsonb,
  pgEnum,
  pgTable,
  primaryKey,
  smallint,
  text,
  timestamp,
  unique,
  uniqueIndex,
  uuid,
  type PgTableExtraConfigValue,
} from 'drizzle-orm/pg-core';
import { organizations, users } from './identity';

export const apiKeyScopeEnum = pgEnum('api_key_scope', ['read', 'write', 'write:definitions']);

/**
 * A key for the REST API. Only the sha256 of the secret is stored; `prefix` (the first characters
 * of the secret) is shown so people can tell their keys apart. A key acts as the admin who
 * created it, for as long as that person is still an admin or owner of the organization.
 */
export const apiKeys = pgTable(
  'api_keys',
  {
    id: uuid('id').notNull().defaultRandom(),
    orgId: uuid('org_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    scope: apiKeyScopeEnum('scope').notNull(),
    prefix: text('prefix').notNull(),
    tokenHash: text('token_hash').notNull(),
    createdByUserId: uuid('created_by_user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    lastUsedAt: timestamp('last_used_at', { withTimezone: true }),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
  },
  (t): PgTableExtraConfigValue[] => [
    primaryKey({ name: 'api_keys_pkey', columns: [t.orgId, t.id] }),
    unique('api_keys_id_key').on(t.id),
    uniqueIndex('api_keys_token_hash_key').on(t.tokenHash),
    index('api_keys_org_created_idx').on(t.orgId, t.createdAt),
    check('api_keys_token_hash_format', sql`${t.tokenHash} ~ '^[0-9a-f]{64}$'`),
    check('api_keys_name_length', sql`char_length(${t.name}) between 1 and 80`),
  ],
);

/**
 * A write request seen under an `Idempotency-Key`: the first one inserts the row and runs; a
 * concurrent twin waits on the primary key until the first commits, then replays the stored
 * response. `requestHash` (sha256 of method, path and body) refuses the same key with a new body.
 */
export const apiIdempotency = pgTable(
  'api_idempotency',
  {
    orgId: uuid('org_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    apiKeyId: uuid('api_key_id').notNull(),
    key: text('key').notNull(),
    requestHash: text('request_hash').notNull(),
    status: smallint('status'),
    response: jsonb('response'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t): PgTableExtraConfigValue[] => [
    primaryKey({ name: 'api_idempotency_pkey', columns: [t.orgId, t.apiKeyId, t.key] }),
    foreignKey({
      name: 'api_idempotency_key_fk',
      columns: [t.orgId, t.apiKeyId],
      foreignColumns: [apiKeys.orgId, apiKeys.id],
    }).onDelete('cascade'),
    index('api_idempotency_created_idx').on(t.createdAt),
    check('api_idempotency_key_length', sql`char_length(${t.key}) between 1 and 255`),
  ],
);

/** Requests per key in fixed one-minute windows (kept in Postgres: it holds across instances). */
export const apiRateWindows = pgTable(
  'api_rate_windows',
  {
    orgId: uuid('org_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    apiKeyId: uuid('api_key_id').notNull(),
    windowStart: timestamp('window_start', { withTimezone: true }).notNull(),
    count: integer('count').notNull().default(0),
  },
  (t): PgTableExtraConfigValue[] => [
    primaryKey({ name: 'api_rate_windows_pkey', columns: [t.orgId, t.apiKeyId, t.windowStart] }),
    foreignKey({
      name: 'api_rate_windows_key_fk',
      columns: [t.orgId, t.apiKeyId],
      foreignColumns: [apiKeys.orgId, apiKeys.id],
    }).onDelete('cascade'),
  ],
);
