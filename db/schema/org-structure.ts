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
import { roleEnum, unitKindEnum } from './enums';
import { organizations, users } from './identity';

// Units and memberships refer to each other (a unit's lead is a member, a member has a home
// unit), so they share this module and the other schema files import in one direction.

/** The unit tree: one company root, departments, teams. */
export const units = pgTable(
  'units',
  {
    id: uuid('id').notNull().defaultRandom(),
    orgId: uuid('org_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    parentId: uuid('parent_id'),
    kind: unitKindEnum('kind').notNull(),
    name: text('name').notNull(),
    leadUserId: uuid('lead_user_id'),
    sortOrder: integer('sort_order').notNull().default(0),
    archivedAt: timestamp('archived_at', { withTimezone: true }),
    version: integer('version').notNull().default(1),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t): PgTableExtraConfigValue[] => [
    primaryKey({ name: 'units_pkey', columns: [t.orgId, t.id] }),
    unique('units_id_key').on(t.id),
    foreignKey({
      name: 'units_parent_fk',
      columns: [t.orgId, t.parentId],
      foreignColumns: [t.orgId, t.id],
    }),
    foreignKey({
      name: 'units_lead_fk',
      columns: [t.orgId, t.leadUserId],
      foreignColumns: [memberships.orgId, memberships.userId],
    }),
    uniqueIndex('units_one_company_root').on(t.orgId).where(sql`${t.kind} = 'company'`),
    index('units_parent_idx').on(t.orgId, t.parentId),
    check(
      'units_root_has_no_parent',
      sql`(${t.kind} = 'company') = (${t.parentId} is null)`,
    ),
  ],
);

/** A person's place in an organization: role and home unit. */
export const memberships = pgTable(
  'memberships',
  {
    orgId: uuid('org_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    role: roleEnum('role').notNull().default('member'),
    homeUnitId: uuid('home_unit_id').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t): PgTableExtraConfigValue[] => [
    primaryKey({ name: 'memberships_pkey', columns: [t.orgId, t.userId] }),
    index('memberships_user_idx').on(t.userId),
    index('memberships_home_unit_idx').on(t.orgId, t.homeUnitId),
    foreignKey({
      name: 'memberships_home_unit_fk',
      columns: [t.orgId, t.homeUnitId],
      foreignColumns: [units.orgId, units.id],
    }),
  ],
);
