// Seeds the inbox journey (e2e/inbox.spec.ts) before the server starts (the embedded database
// has one process): a fresh organization whose owner owns two KPIs with no value, and the
// check-in reminders of 27 Nov and 2 Dec 2026 created through the same job code as the worker
// (no SMTP: the mail goes to the outbox). Writes the account to .data/e2e-inbox.json.
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
import { createKpiSchema } from '@/lib/validation/kpis';

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
    await withOrgTx(found.org.id, (tx) => createKpi(ctx, tx, input));
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
  const file = path.resolve('.data/e2e-inbox.json');
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, JSON.stringify({ ...account, orgSlug }));
  console.log(`Inbox journey: seeded /o/${orgSlug}.`);
});
