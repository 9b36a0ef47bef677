import { sql } from 'drizzle-orm';
import {
  check,
  foreignKey,
  index,
  pgTable,
  primaryKey,
  text,
  timestamp,
  unique,
  uniqueIndex,
  uuid,
  type PgTableExtraConfigValue,
} from 'drizzle-orm/pg-core';
import { units } from './org-structure';
import { roleEnum } from './enums';
import { organizations, users } from './identity';

/**
 * An invitation to join an organization with a role and a home unit. Only the sha256 of the
 * single-use token is stored; at most one open (not accepted, not revoked) invitation per email.
 */
export const invitations = pgTable(
  'invitations',
  {
    id: uuid('id').notNull().defaultRandom(),
    orgId: uuid('org_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    email: text('email').notNull(),
    role: roleEnum('role').notNull(),
    homeUnitId: uuid('home_unit_id').notNull(),
    /** sha256 (hex) of the 32-byte random token in the link; the token itself is never stored. */
    tokenHash: text('token_hash').notNull(),
    invitedByUserId: uuid('invited_by_user_id').references(() => users.id, { onDelete: 'set null' }),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    acceptedAt: timestamp('accepted_at', { withTimezone: true }),
    acceptedByUserId: uuid('accepted_by_user_id').references(() => users.id, { onDelete: 'set null' }),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t): PgTableExtraConfigValue[] => [
    primaryKey({ name: 'invitations_pkey', columns: [t.orgId, t.id] }),
    unique('invitations_id_key').on(t.id),
    uniqueIndex('invitations_token_hash_key').on(t.tokenHash),
    uniqueIndex('invitations_one_open_per_email')
      .on(t.orgId, t.email)
      .where(sql`${t.acceptedAt} is null and ${t.revokedAt} is null`),
    index('invitations_org_created_idx').on(t.orgId, t.createdAt),
    foreignKey({
      name: 'invitations_home_unit_fk',
      columns: [t.orgId, t.homeUnitId],
      foreignColumns: [units.orgId, units.id],
    }).onDelete('cascade'),
    check('invitations_email_lowercase', sql`${t.email} = lower(${t.email})`),
    check('invitations_role_not_owner', sql`${t.role} <> 'owner'`),
    check('invitations_token_hash_format', sql`${t.tokenHash} ~ '^[0-9a-f]{64}$'`),
    check(
      'invitations_accepted_or_revoked',
      sql`${t.acceptedAt} is null or ${t.revokedAt} is null`,
    ),
  ],
);
