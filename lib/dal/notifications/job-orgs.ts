import { asc } from 'drizzle-orm';
import { getDb } from '@/db/client';
import { organizations } from '@/db/schema';

/** What the scheduler needs of an organization to decide its reminders. */
export type JobOrg = {
  id: string;
  slug: string;
  name: string;
  timeZone: string;
  fyStartMonth: number;
  reminderDaysBefore: number;
  reminderGraceDays: number;
};

/**
 * Every organization, for the scheduler (organizations are a global table). The scheduler then
 * works on each inside its own tenant transaction.
 */
export async function listOrganizationsForJobs(): Promise<JobOrg[]> {
  const db = await getDb();
  return db
    .select({
      id: organizations.id,
      slug: organizations.slug,
      name: organizations.name,
      timeZone: organizations.timeZone,
      fyStartMonth: organizations.fyStartMonth,
      reminderDaysBefore: organizations.reminderDaysBefore,
      reminderGraceDays: organizations.reminderGraceDays,
    })
    .from(organizations)
    .orderBy(asc(organizations.createdAt), asc(organizations.id));
}
