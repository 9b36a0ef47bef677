// `npm run jobs:run-due -- [--now <ISO instant>]`: runs, once, every job due at that instant
// (default: now) and exits: reminders, then mail. Running it again at the same instant sends
// nothing new. For deployments without a resident worker (call it from cron) and for tests.
import { parseArgs } from 'node:util';
import { runCli } from '@/db/cli/run';
import { runDueJobs } from '@/lib/jobs/run-due';

const USAGE = 'Usage: npm run jobs:run-due -- [--now 2026-12-02T09:00:00Z]';

await runCli(async () => {
  const { values } = parseArgs({ options: { now: { type: 'string' } }, strict: true });
  const now = values.now ? new Date(values.now) : new Date();
  if (Number.isNaN(now.getTime()) || (values.now && !/^\d{4}-\d{2}-\d{2}T/.test(values.now))) {
    throw new Error(`--now must be an ISO instant such as 2026-12-02T09:00:00Z\n${USAGE}`);
  }
  const results = await runDueJobs(now);
  console.log(JSON.stringify({ now: now.toISOString(), ...results }));
});
