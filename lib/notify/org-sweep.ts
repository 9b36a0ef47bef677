import {
  listOrganizationsForJobs,
  type JobOrg,
  type JobOrgScope,
} from '@/lib/dal/notifications/job-orgs';
import { reminderDateAt } from '@/lib/domain/reminders';
import type { NotifyConfig } from './config';
import { messageIdHost } from './links';

/** What every notification a sweep creates needs besides its drafts. */
export type SweepCreateOptions = { now: Date; smtpConfigured: boolean; messageIdHost: string };

/**
 * The per-organization loop of the daily notification jobs (reminders, escalations): for every
 * organization whose reminder hour has passed at `now` in its own time zone, `perOrg` gets the
 * organization, its local date and the creation options, and returns how many notifications it
 * created; the sum comes back. Each organization works in its own tenant transaction (perOrg's).
 * `scope` (tests only): see JobOrgScope.
 */
export async function sweepOrganizationsAtReminderHour(
  now: Date,
  config: NotifyConfig,
  scope: JobOrgScope | undefined,
  perOrg: (org: JobOrg, date: string, create: SweepCreateOptions) => Promise<number>,
): Promise<{ created: number }> {
  const create: SweepCreateOptions = {
    now,
    smtpConfigured: Boolean(config.smtpUrl),
    messageIdHost: messageIdHost(config),
  };
  let created = 0;
  for (const org of await listOrganizationsForJobs(scope)) {
    const date = reminderDateAt(now, org.timeZone);
    if (date) created += await perOrg(org, date, create);
  }
  return { created };
}
