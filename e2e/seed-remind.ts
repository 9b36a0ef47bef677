// Seeds the remind journey (e2e/remind.spec.ts), called by e2e/seed-inbox.ts before the server
// starts: an organization of its own (so its reminders never reach the inbox journey's outbox)
// whose owner sees one person who has not reported (Mia, owning a monthly KPI with no value all
// year) and one who has (Max). Writes the account to .data/e2e-remind.json.
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import { getOwnerDb, withOrgTx } from '@/db/client';
import { kpis, memberships, users } from '@/db/schema';
import { createAccountWithOrganization } from '@/lib/dal/accounts';
import { createKpi } from '@/lib/dal/kpis/create';
import { getMembershipBySlug } from '@/lib/dal/memberships';
import { recordCheckin } from '@/lib/dal/record-checkin';
import { addDays, todayInTimeZone } from '@/lib/domain/dates';
import { periodStart } from '@/lib/domain/periods';
import { createKpiSchema } from '@/lib/validation/kpis';

export async function seedRemindJourney(): Promise<void> {
  const id = randomUUID().slice(0, 8);
  const account = {
    name: 'Rita Remind',
    email: `remind-${id}@example.com`,
    password: `remind journey ${id} passphrase`,
    orgName: `Remind Journey ${id}`,
  };
  const { user, orgSlug } = await createAccountWithOrganization(account);
  const found = await getMembershipBySlug(
    { userId: user.id, sessionVersion: user.sessionVersion },
    orgSlug,
  );
  if (!found) throw new Error('the new organization was not found');
  const ctx = { ...found, requestId: randomUUID() };
  const db = await getOwnerDb();
  const person = async (name: string) => {
    const [row] = await db
      .insert(users)
      .values({
        email: `${name.split(' ')[0]!.toLowerCase()}-${id}@example.com`,
        name,
        passwordHash: 'scrypt$invalid',
      })
      .returning({ id: users.id });
    await db
      .insert(memberships)
      .values({
        orgId: found.org.id,
        userId: row!.id,
        role: 'member',
        homeUnitId: found.actor.homeUnitId,
      });
    return row!.id;
  };
  const mia = await person('Mia Missing');
  const max = await person('Max Reported');
  const kpi = async (name: string, ownerUserId: string) => {
    const input = createKpiSchema.parse({
      name,
      unitId: found.actor.homeUnitId,
      measureUnit: 'count',
      direction: 'increase',
      cadence: 'month',
      timeAggregation: 'sum',
      ownerUserId,
    });
    return (await withOrgTx(found.org.id, (tx) => createKpi(ctx, tx, input))).id;
  };
  await kpi('Support tickets closed', mia);
  const reported = await kpi('Invoices sent', max);
  // The KPIs existed all year, so last month's missing value is overdue.
  await db
    .update(kpis)
    .set({ createdAt: new Date('2026-01-01T00:00:00Z') })
    .where(eq(kpis.orgId, found.org.id));
  const today = todayInTimeZone('UTC');
  const lastMonthEnd = addDays(periodStart(today, 'month', 1), -1);
  for (const observedOn of [lastMonthEnd, today]) {
    await recordCheckin(ctx, { kpiId: reported, observedOn, value: '7' });
  }
  const file = path.resolve('.data/e2e-remind.json');
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, JSON.stringify({ ...account, orgSlug }));
  console.log(`Remind journey: seeded /o/${orgSlug}.`);
}
