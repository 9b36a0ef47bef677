// Seeds the remind journey (e2e/remind.spec.ts), called by e2e/seed-inbox.ts before the server
// starts: an organization of its own (so its reminders never reach the inbox journey's outbox)
// whose owner sees one person who has not reported (Mia, owning a monthly KPI with no value all
// year) and one who has (Max). Writes the account to .data/e2e-remind.json.
import { getOwnerDb } from '@/db/client';
import { memberships, users } from '@/db/schema';
import {
  createJourneyOrganization,
  createMonthlyKpis,
  recordRecentValues,
  writeSeeded,
} from './seed-journey';

export async function seedRemindJourney(): Promise<void> {
  const journey = await createJourneyOrganization('Remind', 'Rita Remind');
  const { found, id } = journey;
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
    await db.insert(memberships).values({
      orgId: found.org.id,
      userId: row!.id,
      role: 'member',
      homeUnitId: found.actor.homeUnitId,
    });
    return row!.id;
  };
  const mia = await person('Mia Missing');
  const max = await person('Max Reported');
  await createMonthlyKpis(journey, mia, ['Support tickets closed']);
  await recordRecentValues(journey, await createMonthlyKpis(journey, max, ['Invoices sent']));
  writeSeeded('e2e-remind.json', journey);
}
