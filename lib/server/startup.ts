import { getDbHandle } from '@/db/client';
import { env } from '@/lib/env';

/**
 * Opens (and migrates) the database when the server starts; in demo mode, the first start of an
 * empty database also seeds the Northwind Cloud demo organization (never when any organization
 * already exists, so a real workspace is never mixed with demo data).
 */
export async function prepareDatabase(): Promise<void> {
  // The whole configuration, not only the database's: a bad setting fails the start, not a request.
  env();
  await getDbHandle();
  const { ensureDemoOrganization, isDemoModeEnabled } = await import('@/lib/seed/demo');
  if (!isDemoModeEnabled()) return;
  const started = performance.now();
  const result = await ensureDemoOrganization({ onlyIfNoOrganizations: true });
  if (result.status === 'created') {
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    console.log(
      `Demo mode: seeded the demo organization /o/${result.slug} in ${seconds} s (accounts on the sign-in page).`,
    );
  }
}

/**
 * Starts the job worker inside this server process (reminders, mail), unless JOBS_WORKER=0.
 * A failure to start is logged, not fatal: the app serves pages without it, and
 * `npm run worker` or `npm run jobs:run-due` can do the work instead.
 */
export async function startInProcessWorker(): Promise<void> {
  if (env().JOBS_WORKER === '0') return;
  try {
    const { startJobsWorker } = await import('@/lib/jobs/worker');
    await startJobsWorker();
  } catch (error) {
    console.error(
      `[jobs] the in-process worker did not start: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
}
