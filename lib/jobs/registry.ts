import type { JobOrgScope } from '@/lib/dal/notifications/job-orgs';
import type { NotifyConfig } from '@/lib/notify/config';
import { checkinRemindersJob } from './handlers/checkin-reminders';
import { mailDeliveryJob } from './handlers/mail-delivery';
import { missingEscalationsJob } from './handlers/missing-escalations';
import { scheduledReportsJob } from './handlers/scheduled-reports';
import { sqlPullsJob } from './handlers/sql-pulls';
import { statusAlertsJob } from './handlers/status-alerts';
import { webhookDeliveryJob } from './handlers/webhook-delivery';
import { weeklyDigestsJob } from './handlers/weekly-digests';
import type { QueueName } from './queues';

/** A kind of job: its queue, when it runs by itself, and what it does at an instant. */
export type JobHandler = {
  queue: QueueName;
  /** Cron expression (UTC) of its regular run. */
  cron: string;
  /**
   * Does everything due at `now`; safe to run again at any instant (idempotent). `scope` (tests
   * only) narrows it to some organizations; without it, every organization.
   */
  run: (now: Date, config: NotifyConfig, scope?: JobOrgScope) => Promise<unknown>;
  /** A queue to nudge right after a run (its work may have become due). */
  then?: QueueName;
};

/**
 * Every job, in the order `jobs:run-due` runs them: pulls from SQL sources first (their values
 * spare reminders and count for alerts), reminders, escalations, alerts, then digests (which list
 * the alerts just made) and scheduled reports create mail; webhooks go (after the alerts job
 * recorded its status changes; a disabled endpoint creates mail); then mail goes.
 */
export const JOBS: readonly JobHandler[] = [
  sqlPullsJob,
  checkinRemindersJob,
  missingEscalationsJob,
  statusAlertsJob,
  weeklyDigestsJob,
  scheduledReportsJob,
  webhookDeliveryJob,
  mailDeliveryJob,
];
