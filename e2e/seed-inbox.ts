// Seeds the inbox journey (e2e/inbox.spec.ts) before the server starts (the embedded database
// has one process): a fresh organization whose owner owns two KPIs with no value, and the
// check-in reminders of 27 Nov and 2 Dec 2026 created through the same job code as the worker
// (no SMTP: the mail goes to the outbox), then values for the current and last month so the
// app's own worker adds nothing on the day the journey runs. Writes the account to
// .data/e2e-inbox.json.
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import { getOwnerDb, withOrgTx } from '@/db/client';
import { runCli } from '@/db/cli/run';
import { kpis } from '@/db/schema';
import { createAccountWithOrganization } from '@/lib/dal/accounts';
import { createKpi } from '@/lib/dal/kpis/create';
import { getMembershipBySlug } from '@/lib/dal/memberships';
import { runDueJobs } from '@/lib/jobs/run-due';
import { recordCheckin } from '@/lib/dal/record-checkin';
import { addDays, todayInTimeZone } from '@/lib/domain/dates';
import { periodStart } from '@/lib/domain/periods';
import { createKpiSchema } from '@/lib/validation/kpis';
import { seedRemindJourney } from './seed-remind';

await runCli(async () => {
  const id = randomUUID().slice(0, 8);
  const account = {
    name: 'Ines Inbox',
    email: `inbox-${id}@example.com`,
    password: `inbox journey ${id} passphrase`,
    orgName: `Inbox Journey ${id}`,
  };
  const { user, orgSlug } = await createAccountWithOrganization(account);
  const found = await getMembershipBySlug(
    { userId: user.id, sessionVersion: user.sessionVersion },
    orgSlug,
  );
  if (!found) throw new Error('the new organization was not found');
  const ctx = { ...found, requestId: randomUUID() };
  const kpiIds: string[] = [];
  for (const name of ['Qualified leads', 'Demo calls held']) {
    const input = createKpiSchema.parse({
      name,
      unitId: found.actor.homeUnitId,
      measureUnit: 'count',
      direction: 'increase',
      cadence: 'month',
      timeAggregation: 'sum',
      ownerUserId: user.id,
    });
    kpiIds.push((await withOrgTx(found.org.id, (tx) => createKpi(ctx, tx, input))).id);
  }
  // The KPIs existed all year (reminders skip periods that ended before a KPI was created).
  const db = await getOwnerDb();
  await db
    .update(kpis)
    .set({ createdAt: new Date('2026-01-01T00:00:00Z') })
    .where(eq(kpis.orgId, found.org.id));
  const config = {
    smtpUrl: undefined,
    from: 'Cascade KPI <no-reply@localhost>',
    appUrl: process.env.NEXTAUTH_URL ?? 'http://localhost:3000',
    secret: process.env.AUTH_SECRET ?? 'e2e-only-secret',
  };
  // The organization is on UTC: 09:00 UTC is its reminder hour.
  await runDueJobs(new Date('2026-11-27T09:00:00Z'), config);
  await runDueJobs(new Date('2026-12-02T09:00:00Z'), config);
  // Values for today's month and the one before (on UTC, the org's zone): whatever day the journey
  // runs, the app's own worker finds nothing more to remind this person of, so the bell counts
  // exactly the two reminders above.
  const today = todayInTimeZone('UTC');
  const lastMonthEnd = addDays(periodStart(today, 'month', 1), -1);
  for (const kpiId of kpiIds) {
    for (const observedOn of [lastMonthEnd, today]) {
      await recordCheckin(ctx, { kpiId, observedOn, value: '5' });
    }
  }
  const file = path.resolve('.data/e2e-inbox.json');
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, JSON.stringify({ ...account, orgSlug }));
  console.log(`Inbox journey: seeded /o/${orgSlug}.`);
  await seedRemindJourney();
});
