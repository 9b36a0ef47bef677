import type { JobOrgScope } from '@/lib/dal/notifications/job-orgs';
import { notifyConfigFromEnv, type NotifyConfig } from '@/lib/notify/config';
import { JOBS } from './registry';

/**
 * Runs, once, every job at the instant `now`, in order, and returns what each did: the
 * deterministic path (tests, `npm run jobs:run-due`, deployments without a resident worker).
 * `scope` (tests only, see JobOrgScope) serves some organizations; without it, every one.
 */
export async function runDueJobs(
  now: Date,
  config: NotifyConfig = notifyConfigFromEnv(),
  scope?: JobOrgScope,
): Promise<Record<string, unknown>> {
  const results: Record<string, unknown> = {};
  for (const job of JOBS) results[job.queue] = await job.run(now, config, scope);
  return results;
}
