import { sql } from 'drizzle-orm';
import { bigserial, index, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { organizations } from './identity';

/** Append-only record of who changed what, with before/after snapshots. */
export const auditLog = pgTable(
  'audit_log',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    orgId: uuid('org_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    actorUserId: uuid('actor_user_id'),
    action: text('action').notNull(),
    entityType: text('entity_type').notNull(),
    entityId: text('entity_id').notNull(),
    before: jsonb('before'),
    after: jsonb('after'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    /**
     * The name of the API key a write came through (its actor acts as the key's creator), else
     * null. Filled by the database from the transaction's `app.api_key_name` (set by the API's
     * write transaction), so every writer's records carry it without passing it along.
     */
    actorApiKey: text('actor_api_key').default(
      sql`nullif(current_setting('app.api_key_name', true), '')`,
    ),
    /**
     * The KPI a record is about (its own changes, its targets, its check-ins, its commentary),
     * derived by the database from the columns every writer already fills, so a KPI's history
     * and a lead's subtree are one indexed lookup. Text: an entity id is text, never trusted as a uuid.
     */
    subjectKpiId: text('subject_kpi_id').generatedAlwaysAs(
      sql`case entity_type
        when 'kpi' then entity_id
        when 'kpi_commentary' then entity_id
        when 'kpi_target' then split_part(entity_id, ':', 1)
        when 'checkin' then coalesce(after ->> 'kpiId', before ->> 'kpiId')
      end`,
    ),
  },
  (t) => [
    index('audit_log_org_created_idx').on(t.orgId, t.createdAt),
    index('audit_log_entity_idx').on(t.orgId, t.entityType, t.entityId),
    uniqueIndex('audit_log_org_id_idx').on(t.orgId, t.id),
    index('audit_log_subject_kpi_idx').on(t.orgId, t.subjectKpiId, t.id),
  ],
);
