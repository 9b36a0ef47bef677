import { sql } from 'drizzle-orm';
import {
  bigserial,
  boolean,
  check,
  date,
  foreignKey,
  index,
  integer,
  numeric,
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
  checkinSourceEnum,
  directionEnum,
  indicatorEnum,
  measureUnitEnum,
  rollupEnum,
  timeAggregationEnum,
} from './enums';
import { organizations, users } from './identity';
import { memberships, units } from './org-structure';

/** Exact user-entered numbers: at most 20 digits, 6 after the point. */
const inputNumeric = (name: string) => numeric(name, { precision: 20, scale: 6 });
/** Computed values (sums of many inputs, averages rounded to 10 places). */
const valueNumeric = (name: string) => numeric(name, { precision: 38, scale: 10 });

/** A KPI in the cascade. `parentId` links it to the KPI it rolls up into. */
export const kpis = pgTable(
  'kpis',
  {
    id: uuid('id').notNull().defaultRandom(),
    orgId: uuid('org_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    key: text('key'),
    name: text('name').notNull(),
    description: text('description').notNull().default(''),
    unitId: uuid('unit_id').notNull(),
    ownerUserId: uuid('owner_user_id'),
    parentId: uuid('parent_id'),
    isIndividual: boolean('is_individual').notNull().default(false),
    measureUnit: measureUnitEnum('measure_unit').notNull(),
    currency: text('currency'),
    decimals: smallint('decimals').notNull().default(0),
    direction: directionEnum('direction').notNull(),
    cadence: cadenceEnum('cadence').notNull(),
    timeAggregation: timeAggregationEnum('time_aggregation').notNull(),
    rollup: rollupEnum('rollup').notNull().default('manual'),
    /** The expression of a `formula` KPI (canonical text); null for every other rollup. */
    formula: text('formula'),
    /** The keys a formula reads (any period), kept with `formula`: the cascade's reverse edges. */
    formulaInputs: text('formula_inputs').array().notNull().default(sql`'{}'::text[]`),
    /** How a formula treats an input without a value: `strict` (no result) or `zero`. */
    missingPolicy: text('missing_policy').$type<'strict' | 'zero'>().notNull().default('strict'),
    weight: inputNumeric('weight').notNull().default('1'),
    baseline: inputNumeric('baseline'),
    defaultTarget: inputNumeric('default_target'),
    /** Valid range of a reading (inclusive); null = unbounded on that side. */
    validMin: inputNumeric('valid_min'),
    validMax: inputNumeric('valid_max'),
    category: categoryEnum('category').notNull().default('operational'),
    indicator: indicatorEnum('indicator').notNull().default('lagging'),
    isNorthStar: boolean('is_north_star').notNull().default(false),
    /** Org-local date of archiving: the KPI leaves its parent's rollup for periods starting after it. */
    archivedOn: date('archived_on', { mode: 'string' }),
    sortOrder: integer('sort_order').notNull().default(0),
    version: integer('version').notNull().default(1),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t): PgTableExtraConfigValue[] => [
    primaryKey({ name: 'kpis_pkey', columns: [t.orgId, t.id] }),
    unique('kpis_id_key').on(t.id),
    uniqueIndex('kpis_org_key_key').on(t.orgId, t.key),
    foreignKey({
      name: 'kpis_unit_fk',
      columns: [t.orgId, t.unitId],
      foreignColumns: [units.orgId, units.id],
    }),
    foreignKey({
      name: 'kpis_owner_fk',
      columns: [t.orgId, t.ownerUserId],
      foreignColumns: [memberships.orgId, memberships.userId],
    }),
    foreignKey({
      name: 'kpis_parent_fk',
      columns: [t.orgId, t.parentId],
      foreignColumns: [t.orgId, t.id],
    }),
    index('kpis_parent_idx').on(t.orgId, t.parentId),
    index('kpis_unit_idx').on(t.orgId, t.unitId),
    index('kpis_owner_idx').on(t.orgId, t.ownerUserId),
    index('kpis_formula_inputs_idx').using('gin', t.formulaInputs),
    // The org's formula KPIs (a handful among thousands; `formula` is set exactly on them, see
    // kpis_formula_iff_formula_rollup): the cascade finds the formulas a write reaches through
    // them (lib/dal/cascade/formulas.ts) on every check-in, where a scan of the org's KPIs under
    // row-level security cost more than the rest of the transaction. (Not `rollup = 'formula'`:
    // a fresh database adds that enum value in the same transaction, where it may not be used.)
    index('kpis_formula_idx')
      .on(t.orgId, t.id)
      .where(sql`${t.formula} is not null`),
    check('kpis_not_own_parent', sql`${t.parentId} is distinct from ${t.id}`),
    check(
      'kpis_individual_has_owner',
      sql`not ${t.isIndividual} or ${t.ownerUserId} is not null`,
    ),
    check(
      'kpis_currency_iff_currency_unit',
      sql`(${t.measureUnit} = 'currency') = (${t.currency} is not null)`,
    ),
    check('kpis_weight_positive', sql`${t.weight} > 0`),
    // rollup compared as text: a new enum value cannot be used in the migration that adds it.
    check(
      'kpis_formula_iff_formula_rollup',
      sql`(${t.rollup}::text = 'formula') = (${t.formula} is not null)`,
    ),
    check('kpis_missing_policy', sql`${t.missingPolicy} in ('strict', 'zero')`),
    check('kpis_decimals_range', sql`${t.decimals} between 0 and 6`),
    check(
      'kpis_valid_range_order',
      sql`${t.validMin} is null or ${t.validMax} is null or ${t.validMin} <= ${t.validMax}`,
    ),
  ],
);

/** Per-period target overrides; the KPI's default target applies elsewhere. */
export const kpiTargets = pgTable(
  'kpi_targets',
  {
    orgId: uuid('org_id').notNull(),
    kpiId: uuid('kpi_id').notNull(),
    periodStart: date('period_start', { mode: 'string' }).notNull(),
    target: inputNumeric('target').notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t): PgTableExtraConfigValue[] => [
    primaryKey({ name: 'kpi_targets_pkey', columns: [t.orgId, t.kpiId, t.periodStart] }),
    foreignKey({
      name: 'kpi_targets_kpi_fk',
      columns: [t.orgId, t.kpiId],
      foreignColumns: [kpis.orgId, kpis.id],
    }).onDelete('cascade'),
  ],
);

/** One observed value of a KPI on a date. */
export const checkins = pgTable(
  'checkins',
  {
    id: uuid('id').notNull().defaultRandom(),
    orgId: uuid('org_id').notNull(),
    kpiId: uuid('kpi_id').notNull(),
    observedOn: date('observed_on', { mode: 'string' }).notNull(),
    value: inputNumeric('value').notNull(),
    note: text('note').notNull().default(''),
    authorUserId: uuid('author_user_id').references(() => users.id, { onDelete: 'set null' }),
    source: checkinSourceEnum('source').notNull().default('manual'),
    version: integer('version').notNull().default(1),
    createdAt: timestamp('created_at', { withTimezone: true, precision: 6 })
      .notNull()
      .defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t): PgTableExtraConfigValue[] => [
    primaryKey({ name: 'checkins_pkey', columns: [t.orgId, t.id] }),
    unique('checkins_id_key').on(t.id),
    foreignKey({
      name: 'checkins_kpi_fk',
      columns: [t.orgId, t.kpiId],
      foreignColumns: [kpis.orgId, kpis.id],
    }).onDelete('cascade'),
    index('checkins_kpi_observed_idx').on(t.orgId, t.kpiId, t.observedOn),
  ],
);

/**
 * Materialized value of a KPI for one of its periods. A row exists exactly when the KPI has a
 * value for that period; `db:verify` recomputes every row from scratch.
 */
export const kpiPeriodValues = pgTable(
  'kpi_period_values',
  {
    orgId: uuid('org_id').notNull(),
    kpiId: uuid('kpi_id').notNull(),
    periodStart: date('period_start', { mode: 'string' }).notNull(),
    value: valueNumeric('value').notNull(),
    sampleCount: integer('sample_count').notNull(),
    childrenReported: integer('children_reported').notNull().default(0),
    childrenExpected: integer('children_expected').notNull().default(0),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t): PgTableExtraConfigValue[] => [
    primaryKey({ name: 'kpi_period_values_pkey', columns: [t.orgId, t.kpiId, t.periodStart] }),
    foreignKey({
      name: 'kpi_period_values_kpi_fk',
      columns: [t.orgId, t.kpiId],
      foreignColumns: [kpis.orgId, kpis.id],
    }).onDelete('cascade'),
  ],
);

/**
 * Outbox of period-value changes (issue 19, item 4): one row per (KPI, period) whose value a
 * write changed (appeared, changed or disappeared), inserted in the same statement as that
 * write, so a rolled-back write leaves none. The status-alerts job grades old and new value,
 * turns crossings into notifications and deletes the rows it handled.
 */
export const kpiValueEvents = pgTable(
  'kpi_value_events',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    /** Write order (several writes of one transaction share its `created_at`). */
    seq: bigserial('seq', { mode: 'number' }).notNull(),
    orgId: uuid('org_id').notNull(),
    kpiId: uuid('kpi_id').notNull(),
    periodStart: date('period_start', { mode: 'string' }).notNull(),
    oldValue: valueNumeric('old_value'),
    newValue: valueNumeric('new_value'),
    /** The writing transaction's time: statuses are graded as of this instant. */
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t): PgTableExtraConfigValue[] => [
    uniqueIndex('kpi_value_events_org_idx').on(t.orgId, t.seq),
    foreignKey({
      name: 'kpi_value_events_kpi_fk',
      columns: [t.orgId, t.kpiId],
      foreignColumns: [kpis.orgId, kpis.id],
    }).onDelete('cascade'),
  ],
);
