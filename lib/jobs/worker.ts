import type PgBoss from 'pg-boss';
import type { JobOrgScope } from '@/lib/dal/notifications/job-orgs';
import { notifyConfigFromEnv, type NotifyConfig } from '@/lib/notify/config';
import { createBoss } from './boss';
import { systemClock, type Clock } from './clock';
import { JOBS } from './registry';

/** A running worker. */
export type JobsWorker = { boss: PgBoss; stop: () => Promise<void> };

/**
 * Starts the job worker: creates the queues, (re)registers their cron schedules and works them.
 * Any number of instances may run: pg-boss hands each cron tick and each job to one of them,
 * and every job is idempotent by its own key in our tables, so a retried or doubled job sends
 * nothing twice. Queues are `stately` (at most one job waiting and one running), so a slow run
 * never piles up ticks.
 */
export async function startJobsWorker(
  opts: {
    clock?: Clock;
    config?: NotifyConfig;
    /** Tests only: see JobOrgScope. */
    scope?: JobOrgScope;
  } = {},
): Promise<JobsWorker> {
  const clock = opts.clock ?? systemClock;
  const config = opts.config ?? notifyConfigFromEnv();
  const boss = await createBoss();
  boss.on('error', (error: Error) => console.error(`[jobs] ${error.message}`));
  await boss.start();
  for (const job of JOBS) {
    await boss.createQueue(job.queue, {
      name: job.queue,
      policy: 'stately',
      retryLimit: 2,
      retryDelay: 30,
      retryBackoff: true,
      expireInSeconds: 15 * 60,
    });
  }
  for (const job of JOBS) {
    await boss.schedule(job.queue, job.cron);
    await boss.work(job.queue, { pollingIntervalSeconds: 5 }, async () => {
      await job.run(clock(), config, opts.scope);
      if (job.then) await boss.send(job.then, {});
    });
  }
  return {
    boss,
    stop: () => boss.stop({ graceful: true, timeout: 10_000 }),
  };
}
