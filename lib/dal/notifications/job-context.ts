import { randomUUID } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import { withOrgRead } from '@/db/client';
import { memberships, organizations } from '@/db/schema';
import type { OrgContext } from '@/lib/server/org-context';
import type { JobOrg } from './job-orgs';

/**
 * The context a job reads an organization's reports with: as its owner sees them (callers leave
 * individual KPIs out of anything they send, as share links do). Null when the organization has
 * no owner (being deleted). Tenant: org.id.
 */
export async function getJobOrgContext(org: JobOrg): Promise<OrgContext | null> {
  return withOrgRead(org.id, async (db) => {
    const [row] = await db
      .select({
        userId: memberships.userId,
        homeUnitId: memberships.homeUnitId,
        maxKpisPerUnit: organizations.maxKpisPerUnit,
        maxKpisPerPerson: organizations.maxKpisPerPerson,
        requireAdminTotp: organizations.requireAdminTotp,
      })
      .from(memberships)
      .innerJoin(organizations, eq(organizations.id, memberships.orgId))
      .where(and(eq(memberships.orgId, org.id), eq(memberships.role, 'owner')))
      .limit(1);
    if (!row) return null;
    return {
      org: {
        id: org.id,
        slug: org.slug,
        name: org.name,
        fyStartMonth: org.fyStartMonth,
        timeZone: org.timeZone,
        greenThreshold: org.greenThreshold,
        amberThreshold: org.amberThreshold,
        gradingMinElapsed: org.gradingMinElapsed,
        maxKpisPerUnit: row.maxKpisPerUnit,
        maxKpisPerPerson: row.maxKpisPerPerson,
        requireAdminTotp: row.requireAdminTotp,
        locale: org.locale,
      },
      actor: { userId: row.userId, role: 'owner', homeUnitId: row.homeUnitId, ledUnitIds: [] },
      user: {
        name: 'Scheduled job',
        email: '',
        emailVerified: true,
        twoFactorEnabled: false,
        singleSignOn: false,
        lastOrgCurrent: true,
      },
      unitParentOf: new Map(),
      requestId: randomUUID(),
    };
  });
}
