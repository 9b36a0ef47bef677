// Seeds the inbox journey (e2e/inbox.spec.ts) before the server starts (the embedded database
// has one process): a fresh organization whose owner owns two KPIs with no value, and the
// check-in reminders of 27 Nov and 2 Dec 2026 created through the same job code as the worker
// (no SMTP: the mail goes to the outbox), then values for the current and last month so the
// app's own worker adds nothing on the day the journey runs. Writes the account to
// .data/e2e-inbox.json. Then the remind journey's organization (e2e/seed-remind.ts) and the
// token pages' links (e2e/seed-tokens.ts) and the large organization
// (e2e/seed-large-org.ts).
import { runCli } from '@/db/cli/run';
import { runDueJobs } from '@/lib/jobs/run-due';
import {
  createJourneyOrganization,
  createMonthlyKpis,
  recordRecentValues,
  writeSeeded,
} from './seed-journey';
import { seedLargeOrganization } from './seed-large-org';
import { seedRemindJourney } from './seed-remind';
import { seedTokenPages } from './seed-tokens';

await runCli(async () => {
  const journey = await createJourneyOrganization('Inbox', 'Ines Inbox');
  const kpiIds = await createMonthlyKpis(journey, journey.user.id, [
    'Qualified leads',
    'Demo calls held',
  ]);
  const config = {
    smtpUrl: undefined,
    from: 'Cascade KPI <no-reply@localhost>',
    appUrl: process.env.NEXTAUTH_URL ?? 'http://localhost:3000',
    secret: process.env.AUTH_SECRET ?? 'e2e-only-secret',
  };
  // The organization is on UTC: 09:00 UTC is its reminder hour.
  await runDueJobs(new Date('2026-11-27T09:00:00Z'), config);
  await runDueJobs(new Date('2026-12-02T09:00:00Z'), config);
  // So the bell counts exactly the two reminders above.
  await recordRecentValues(journey, kpiIds);
  writeSeeded('e2e-inbox.json', journey);
  await seedRemindJourney();
  await seedTokenPages();
  await seedLargeOrganization();
});
