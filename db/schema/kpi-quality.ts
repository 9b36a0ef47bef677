import { sql } from 'drizzle-orm';
import {
  check,
  index,
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
import {
  cadenceEnum,
  categoryEnum,
  directionEnum,
  indicatorEnum,
  measureUnitEnum,
  timeAggregationEnum,
} from './enums';
import { organizations, users } from './identity';

/**
 * An organization's own KPI templates: a KPI definition (no values, targets or owner) saved so
 * that the next KPI of its kind starts from it. The built-in library lives in code
 * (lib/domain/kpi-templates.ts); these rows sit beside it, visible to their organization only.
 */
export const kpiTemplates = pgTable(
  'kpi_templates',
  {
    id: uuid('id').notNull().defaultRandom(),
    orgId: uuid('org_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    /** The library group it is listed under (a department key of the built-in library). */
    department: text('department').notNull(),
    name: text('name').notNull(),
    description: text('description').notNull().default(''),
    measureUnit: measureUnitEnum('measure_unit').notNull(),
    currency: text('currency'),
    decimals: smallint('decimals').notNull().default(0),
    direction: directionEnum('direction').notNull(),
    cadence: cadenceEnum('cadence').notNull(),
    timeAggregation: timeAggregationEnum('time_aggregation').notNull(),
    category: categoryEnum('category').notNull().default('operational'),
    indicator: indicatorEnum('indicator').notNull().default('lagging'),
    createdByUserId: uuid('created_by_user_id').references(() => users.id, {
      onDelete: 'set null',
    }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t): PgTableExtraConfigValue[] => [
    primaryKey({ name: 'kpi_templates_pkey', columns: [t.orgId, t.id] }),
    unique('kpi_templates_id_key').on(t.id),
    uniqueIndex('kpi_templates_org_name_key').on(t.orgId, sql`lower(${t.name})`),
    index('kpi_templates_org_department_idx').on(t.orgId, t.department),
    check(
      'kpi_templates_department_known',
      sql`${t.department} in ('sales', 'marketing', 'customer_service', 'finance', 'people', 'engineering', 'saas', 'executive', 'product')`,
    ),
    check(
      'kpi_templates_currency_iff_currency_unit',
      sql`(${t.measureUnit} = 'currency') = (${t.currency} is not null)`,
    ),
    check('kpi_templates_decimals_range', sql`${t.decimals} between 0 and 6`),
    check('kpi_templates_name_length', sql`char_length(${t.name}) between 1 and 120`),
  ],
);
