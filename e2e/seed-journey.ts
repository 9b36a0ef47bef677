// What the journeys' seed scripts share (e2e/seed-inbox.ts, e2e/seed-remind.ts): a fresh
// organization with its owner's context, monthly KPIs recorded by hand that existed all year,
// values for today's month and the one before, and the seeded account written for the spec.
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import { getOwnerDb, withOrgTx } from '@/db/client';
import { kpis } from '@/db/schema';
import { createAccountWithOrganization } from '@/lib/dal/accounts';
import { createKpi } from '@/lib/dal/kpis/create';
import { getMembershipBySlug } from '@/lib/dal/memberships';
import { recordCheckin } from '@/lib/dal/record-checkin';
import { addDays, todayInTimeZone } from '@/lib/domain/dates';
import { periodStart } from '@/lib/domain/periods';
import { createKpiSchema } from '@/lib/validation/kpis';

/** A new organization named for a journey, its owner's account and org context. */
export async function createJourneyOrganization(journey: string, ownerName: string) {
  const id = randomUUID().slice(0, 8);
  const account = {
    name: ownerName,
    email: `${journey.toLowerCase()}-${id}@example.com`,
    password: `${journey.toLowerCase()} journey ${id} passphrase`,
    orgName: `${journey} Journey ${id}`,
  };
  const { user, orgSlug } = await createAccountWithOrganization(account);
  const found = await getMembershipBySlug(
    { userId: user.id, sessionVersion: user.sessionVersion },
    orgSlug,
  );
  if (!found) throw new Error('the new organization was not found');
  return { id, account, user, orgSlug, found, ctx: { ...found, requestId: randomUUID() } };
}

type Journey = Awaited<ReturnType<typeof createJourneyOrganization>>;

/** Monthly KPIs recorded by hand in the root unit, owned by `ownerUserId`, existing since January. */
export async function createMonthlyKpis(
  journey: Journey,
  ownerUserId: string,
  names: readonly string[],
): Promise<string[]> {
  const { found, ctx } = journey;
  const ids: string[] = [];
  for (const name of names) {
    const input = createKpiSchema.parse({
      name,
      unitId: found.actor.homeUnitId,
      measureUnit: 'count',
      direction: 'increase',
      cadence: 'month',
      timeAggregation: 'sum',
      ownerUserId,
    });
    ids.push((await withOrgTx(found.org.id, (tx) => createKpi(ctx, tx, input))).id);
  }
  // They existed all year (reminders skip periods that ended before a KPI was created).
  const db = await getOwnerDb();
  await db
    .update(kpis)
    .set({ createdAt: new Date('2026-01-01T00:00:00Z') })
    .where(eq(kpis.orgId, found.org.id));
  return ids;
}

/**
 * Values for today's month and the one before (the organization is on UTC): whatever day the
 * journey runs, the app's own worker finds nothing to remind about these KPIs.
 */
export async function recordRecentValues(journey: Journey, kpiIds: readonly string[]) {
  const today = todayInTimeZone('UTC');
  const lastMonthEnd = addDays(periodStart(today, 'month', 1), -1);
  for (const kpiId of kpiIds) {
    for (const observedOn of [lastMonthEnd, today]) {
      await recordCheckin(journey.ctx, { kpiId, observedOn, value: '5' });
    }
  }
}

/** Writes the seeded account for its spec (`.data/<file>`). */
export function writeSeeded(file: string, journey: Journey): void {
  const target = path.resolve('.data', file);
  fs.mkdirSync(path.dirname(target), { recursive: true });
  fs.writeFileSync(target, JSON.stringify({ ...journey.account, orgSlug: journey.orgSlug }));
  console.log(`${journey.account.orgName}: seeded /o/${journey.orgSlug}.`);
}
