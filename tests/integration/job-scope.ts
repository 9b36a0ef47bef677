// The scheduled jobs as the notifications suites run them: scoped to the organizations this test
// file created (factories' createTestOrg). Test files share one database and run two at a time
// (vitest.config.ts), and the suites run jobs at made-up instants (2027, say): unscoped, those
// runs would pull from other files' SQL sources, retry their webhooks, send their mail or turn
// their value events into alerts while those files compare the database before and after.
// Production runs serve every organization (lib/dal/notifications/job-orgs.ts, JobOrgScope).
import type { JobOrgScope } from '@/lib/dal/notifications/job-orgs';
import { deliverWebhooks as deliverAllWebhooks } from '@/lib/integrations/webhooks/deliver';
import { runDueJobs as runAllDueJobs } from '@/lib/jobs/run-due';
import { startJobsWorker as startAllJobsWorker } from '@/lib/jobs/worker';
import type { NotifyConfig } from '@/lib/notify/config';
import { deliverDueMail as deliverAllDueMail } from '@/lib/notify/deliver-mail';
import { orgsCreatedInThisFile } from './factories';

/** This file's organizations, as a live scope (organizations created later join it). */
export function thisFileScope(): JobOrgScope {
  return { orgIds: orgsCreatedInThisFile() };
}

/** runDueJobs on this file's organizations only. */
export function runDueJobs(now: Date, config: NotifyConfig): Promise<Record<string, unknown>> {
  return runAllDueJobs(now, config, thisFileScope());
}

/** deliverDueMail on this file's organizations only. */
export function deliverDueMail(
  now: Date,
  config: NotifyConfig,
  opts: Omit<NonNullable<Parameters<typeof deliverAllDueMail>[2]>, 'scope'> = {},
): ReturnType<typeof deliverAllDueMail> {
  return deliverAllDueMail(now, config, { ...opts, scope: thisFileScope() });
}

/** deliverWebhooks on this file's organizations only. */
export function deliverWebhooks(
  now: Date,
  config: NotifyConfig,
  opts: Omit<NonNullable<Parameters<typeof deliverAllWebhooks>[2]>, 'scope'> = {},
): ReturnType<typeof deliverAllWebhooks> {
  return deliverAllWebhooks(now, config, { ...opts, scope: thisFileScope() });
}

/** The job worker, working this file's organizations only. */
export function startJobsWorker(
  opts: Omit<NonNullable<Parameters<typeof startAllJobsWorker>[0]>, 'scope'> = {},
): ReturnType<typeof startAllJobsWorker> {
  return startAllJobsWorker({ ...opts, scope: thisFileScope() });
}
