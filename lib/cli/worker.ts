// `npm run worker`: the job worker as its own process (the app starts one inside itself unless
// JOBS_WORKER=0). Runs until SIGINT or SIGTERM, then finishes its jobs in flight and exits.
import { closeDb } from '@/db/client';
import { startJobsWorker } from '@/lib/jobs/worker';

const worker = await startJobsWorker();
console.log('Job worker started (reminders and escalations every 15 minutes, mail every minute).');

let stopping = false;
async function stop(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  console.log(`${signal}: stopping the job worker.`);
  try {
    await worker.stop();
  } finally {
    await closeDb().catch(() => undefined);
    process.exit(0);
  }
}
process.on('SIGINT', () => void stop('SIGINT'));
process.on('SIGTERM', () => void stop('SIGTERM'));
