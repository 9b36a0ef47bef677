import { toOrgLocale, type OrgLocale } from '@/lib/domain/org-settings';
import { asc } from 'drizzle-orm';
import { getDb } from '@/db/client';
import { organizations } from '@/db/schema';
import { parseMinElapsed } from '@/lib/domain/progress';

/** What the scheduler needs of an organization to decide its reminders. */
export type JobOrg = {
  id: string;
  slug: string;
  name: string;
  timeZone: string;
  fyStartMonth: number;
  reminderDaysBefore: number;
  reminderGraceDays: number;
  escalationDelayDays: number;
  greenThreshold: number;
  amberThreshold: number;
  gradingMinElapsed: number;
  /** How e-mails write numbers and dates (organization settings). */
  locale: OrgLocale;
};

/**
 * Which organizations a job run serves. Production never passes one: every run serves every
 * organization. Integration tests pass the organizations their file created
 * (tests/integration/job-scope.ts), so jobs they run at made-up instants (2027, say) never reach
 * the organizations other test files build at the same time on the shared database.
 */
export type JobOrgScope = { readonly orgIds: ReadonlySet<string> };

/** Whether a job run with `scope` (none: every organization) serves the organization. */
export function servesOrg(scope: JobOrgScope | undefined, orgId: string): boolean {
  return scope === undefined || scope.orgIds.has(orgId);
}

/**
 * Every organization (or those of `scope`), for the scheduler (organizations are a global
 * table). The scheduler then works on each inside its own tenant transaction.
 */
export async function listOrganizationsForJobs(scope?: JobOrgScope): Promise<JobOrg[]> {
  const db = await getDb();
  const rows = await db
    .select({
      id: organizations.id,
      slug: organizations.slug,
      name: organizations.name,
      timeZone: organizations.timeZone,
      fyStartMonth: organizations.fyStartMonth,
      reminderDaysBefore: organizations.reminderDaysBefore,
      reminderGraceDays: organizations.reminderGraceDays,
      escalationDelayDays: organizations.escalationDelayDays,
      greenThreshold: organizations.greenThreshold,
      amberThreshold: organizations.amberThreshold,
      gradingMinElapsed: organizations.gradingMinElapsed,
      locale: organizations.locale,
    })
    .from(organizations)
    .orderBy(asc(organizations.createdAt), asc(organizations.id));
  return rows
    .filter((r) => servesOrg(scope, r.id))
    .map((r) => ({
      ...r,
      greenThreshold: Number(r.greenThreshold),
      amberThreshold: Number(r.amberThreshold),
      gradingMinElapsed: parseMinElapsed(r.gradingMinElapsed),
      locale: toOrgLocale(r.locale),
    }));
}
