import { pgEnum } from 'drizzle-orm/pg-core';

export const roleEnum = pgEnum('member_role', ['owner', 'admin', 'member']);
export const unitKindEnum = pgEnum('unit_kind', ['company', 'department', 'team']);
export const measureUnitEnum = pgEnum('measure_unit', [
  'count',
  'currency',
  'percent',
  'ratio',
  'duration',
]);
export const directionEnum = pgEnum('kpi_direction', ['increase', 'decrease']);
export const cadenceEnum = pgEnum('kpi_cadence', ['month', 'quarter', 'year']);
export const timeAggregationEnum = pgEnum('time_aggregation', ['sum', 'last', 'average']);
export const rollupEnum = pgEnum('rollup_method', [
  'manual',
  'sum',
  'average',
  'weighted_average',
  'min',
  'max',
  'formula',
]);
export const categoryEnum = pgEnum('kpi_category', ['strategic', 'operational', 'functional']);
export const indicatorEnum = pgEnum('kpi_indicator', ['leading', 'lagging']);
export const checkinSourceEnum = pgEnum('checkin_source', ['manual', 'csv', 'api', 'sql']);
/** What a notification is about (more kinds come with escalation, alerts and digests). */
export const notificationKindEnum = pgEnum('notification_kind', [
  'checkin_reminder',
  'missing_escalation',
  'status_alert',
  'weekly_digest',
  'scheduled_report',
  'webhook_disabled',
]);
/** How often a scheduled report goes out. */
export const reportFrequencyEnum = pgEnum('report_frequency', ['weekly', 'monthly']);
/**
 * A mail delivery's state: `pending` (not tried yet), `sending` (claimed by a worker until its
 * lease ends), `retrying` (failed, tried again later), `sent`, `failed` (gave up), `outbox`
 * (no SMTP server configured: kept for the outbox page).
 */
export const mailDeliveryStatusEnum = pgEnum('mail_delivery_status', [
  'pending',
  'sending',
  'retrying',
  'sent',
  'failed',
  'outbox',
]);
