/**
 * What a notification is about; each kind can be switched off for e-mail per person. The same
 * list as the database enum `notification_kind` (kinds.test.ts keeps them equal).
 */
export const NOTIFICATION_KINDS = [
  'checkin_reminder',
  'missing_escalation',
  'status_alert',
  'weekly_digest',
  'scheduled_report',
  'webhook_disabled',
] as const;

export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

/** How the preferences page names each kind. */
export const NOTIFICATION_KIND_LABELS: Record<NotificationKind, { title: string; detail: string }> =
  {
    checkin_reminder: {
      title: 'Check-in reminders',
      detail: 'Before a period ends and on its due date, for KPIs you own that have no value yet.',
    },
    missing_escalation: {
      title: 'Missing values in my area',
      detail: 'As a unit lead: who in your area has not reported what, days after the due date.',
    },
    status_alert: {
      title: 'Off-track alerts',
      detail:
        'When a KPI you own or your unit holds turns at risk or off track for a period, and when it recovers.',
    },
    weekly_digest: {
      title: 'Weekly digest',
      detail:
        'As a unit lead or admin, on Monday morning: status changes, missing values and the biggest movers in your area.',
    },
    scheduled_report: {
      title: 'Scheduled reports',
      detail: 'The period reports an admin scheduled for you, with the PDF attached.',
    },
    webhook_disabled: {
      title: 'Webhook endpoints disabled',
      detail: 'As an admin: when a webhook endpoint has failed for a day and was turned off.',
    },
  };
