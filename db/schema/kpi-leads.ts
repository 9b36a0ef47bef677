import { sql } from 'drizzle-orm';
import {
  check,
  foreignKey,
  index,
  pgTable,
  primaryKey,
  timestamp,
  uuid,
} from 'drizzle-orm/pg-core';
import { kpis } from './cascade';
import { organizations, users } from './identity';

/**
 * An explicit "leads" link (issue 24, item 3): `leadKpiId` is believed to lead `laggingKpiId`
 * even though neither feeds the other by parent link or formula. Measured like the implicit
 * pairs; a proven lead may inform the lagging KPI's projection.
 */
export const kpiLeads = pgTable(
  'kpi_leads',
  {
    orgId: uuid('org_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    leadKpiId: uuid('lead_kpi_id').notNull(),
    laggingKpiId: uuid('lagging_kpi_id').notNull(),
    createdByUserId: uuid('created_by_user_id').references(() => users.id, {
      onDelete: 'set null',
    }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ name: 'kpi_leads_pkey', columns: [t.orgId, t.leadKpiId, t.laggingKpiId] }),
    foreignKey({
      name: 'kpi_leads_lead_fk',
      columns: [t.orgId, t.leadKpiId],
      foreignColumns: [kpis.orgId, kpis.id],
    }).onDelete('cascade'),
    foreignKey({
      name: 'kpi_leads_lagging_fk',
      columns: [t.orgId, t.laggingKpiId],
      foreignColumns: [kpis.orgId, kpis.id],
    }).onDelete('cascade'),
    index('kpi_leads_lagging_idx').on(t.orgId, t.laggingKpiId),
    check('kpi_leads_not_self', sql`${t.leadKpiId} <> ${t.laggingKpiId}`),
  ],
);
