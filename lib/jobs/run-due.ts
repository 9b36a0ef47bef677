import { notifyConfigFromEnv, type NotifyConfig } from '@/lib/notify/config';
import { JOBS } from './registry';

/**
 * Runs, once, every job at the instant `now`, in order, and returns what each did: the
 * deterministic path (tests, `npm run jobs:run-due`, deployments without a resident worker).
 */
export async function runDueJobs(
  now: Date,
  config: NotifyConfig = notifyConfigFromEnv(),
): Promise<Record<string, unknown>> {
  const results: Record<string, unknown> = {};
  for (const job of JOBS) results[job.queue] = await job.run(now, config);
  return results;
}
