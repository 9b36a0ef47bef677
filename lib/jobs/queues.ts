/** The queue names (pg-boss queues), one per kind of job. */
export const QUEUES = {
  checkinReminders: 'checkin-reminders',
  missingEscalations: 'missing-escalations',
  statusAlerts: 'status-alerts',
  weeklyDigests: 'weekly-digests',
  scheduledReports: 'scheduled-reports',
  webhookDelivery: 'webhook-delivery',
  mailDelivery: 'mail-delivery',
  sqlPulls: 'sql-pulls',
} as const;

export type QueueName = (typeof QUEUES)[keyof typeof QUEUES];
