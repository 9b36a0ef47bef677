import { sql } from 'drizzle-orm';
import {
  boolean,
  check,
  index,
  pgTable,
  text,
  timestamp,
  uuid,
  type PgTableExtraConfigValue,
} from 'drizzle-orm/pg-core';
import { organizations } from './identity';

/**
 * An organization's OpenID Connect provider (at most one). The client secret is stored only
 * encrypted (AES-256-GCM, lib/security/secret-box.ts); the app never sends it back to a browser.
 */
export const orgSsoConfigs = pgTable(
  'org_sso_configs',
  {
    orgId: uuid('org_id')
      .primaryKey()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    issuer: text('issuer').notNull(),
    clientId: text('client_id').notNull(),
    /** `v1.<iv>.<tag>.<ciphertext>` (base64url), never the plain secret. */
    clientSecretEncrypted: text('client_secret_encrypted').notNull(),
    /** Password sign-in refused for every member but the owner. */
    requireSso: boolean('require_sso').notNull().default(false),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t): PgTableExtraConfigValue[] => [
    check('org_sso_configs_issuer_length', sql`char_length(${t.issuer}) between 8 and 500`),
    check('org_sso_configs_client_id_length', sql`char_length(${t.clientId}) between 1 and 300`),
    check('org_sso_configs_secret_format', sql`${t.clientSecretEncrypted} like 'v1.%'`),
  ],
);

/**
 * The e-mail domains an organization's provider signs in. A domain belongs to one organization
 * at most (primary key), so an address leads to exactly one provider.
 */
export const orgSsoDomains = pgTable(
  'org_sso_domains',
  {
    domain: text('domain').primaryKey(),
    orgId: uuid('org_id')
      .notNull()
      .references(() => orgSsoConfigs.orgId, { onDelete: 'cascade' }),
  },
  (t): PgTableExtraConfigValue[] => [
    index('org_sso_domains_org_idx').on(t.orgId),
    check('org_sso_domains_lowercase', sql`${t.domain} = lower(${t.domain})`),
  ],
);
