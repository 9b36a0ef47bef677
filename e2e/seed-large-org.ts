// Seeds the large organization journey (e2e/large-org.spec.ts), called by e2e/seed-inbox.ts
// before the server starts: an organization of its own with more KPIs and people than its pages
// draw at once: 521 top-level KPIs (one made through the app's code, 520 copies of it with
// numbered names) and 150 members besides the owner. Writes the account to
// .data/e2e-large-org.json.
import { sql } from 'drizzle-orm';
import { execRows, getOwnerDb } from '@/db/client';
import { memberships, users } from '@/db/schema';
import { createJourneyOrganization, createMonthlyKpis, writeSeeded } from './seed-journey';

export async function seedLargeOrganization(): Promise<void> {
  const journey = await createJourneyOrganization('Large', 'Lara Large');
  const { found, id } = journey;
  const [templateId] = await createMonthlyKpis(journey, journey.user.id, ['Tree KPI']);
  const db = await getOwnerDb();
  const columns = (
    await execRows<{ name: string }>(
      db,
      sql`select column_name as name from information_schema.columns
           where table_schema = 'public' and table_name = 'kpis' and is_generated = 'NEVER'
             and column_name not in ('id', 'name')
           order by ordinal_position`,
    )
  ).map((c) => sql.identifier(c.name));
  await db.execute(sql`insert into kpis (id, name, ${sql.join(columns, sql`, `)})
    select gen_random_uuid(), k.name || ' ' || lpad(g::text, 3, '0'),
           ${sql.join(
             columns.map((c) => sql`k.${c}`),
             sql`, `,
           )}
      from kpis k cross join generate_series(1, 520) g
     where k.id = ${templateId}::uuid`);

  const people = await db
    .insert(users)
    .values(
      Array.from({ length: 150 }, (_, i) => {
        const n = String(i + 1).padStart(3, '0');
        return { email: `member-${n}-${id}@example.com`, name: `Member ${n}`, passwordHash: 'scrypt$invalid' };
      }),
    )
    .returning({ id: users.id });
  await db.insert(memberships).values(
    people.map((p) => ({
      orgId: found.org.id,
      userId: p.id,
      role: 'member' as const,
      homeUnitId: found.actor.homeUnitId,
    })),
  );
  writeSeeded('e2e-large-org.json', journey);
}
