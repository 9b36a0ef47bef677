import { sql } from 'drizzle-orm';
import { withPipelinedTx } from '@/db/pipeline';
import type { SessionClaims } from '@/lib/auth/session';
import {
  myOrganizationsQuery,
  sendMembershipRead,
  type MembershipFound,
  type MyOrganization,
} from './memberships';
import { myUnreadCountQuery } from './notifications/inbox';

/** What every page of an organization reads before anything of its own (see readOrgPageFrame). */
export type OrgPageFrame = {
  /** The membership (getMembershipBySlug's answer): null when it does not let the person in. */
  found: MembershipFound | null;
  /** The org switcher's organizations and the bell's unread count (the org layout's frame). */
  chrome: { orgs: MyOrganization[]; unread: number };
  /** The organization's data version (read-cache.ts) as this request starts. */
  dataVersion: string;
};

/**
 * The reads every page of an organization starts with, in one pipelined transaction, one round
 * trip (they were three: the membership, the layout's switcher and bell, and the dashboards' data
 * version): the org of the slug with the signed-in person's membership in it (getMembershipBySlug's
 * statements, which set `app.org_id`), then, as that person (`app.user_id` from the session's
 * claims), their organizations for the switcher and their unread notifications in this one, and
 * the org's data version. When the membership is null (no such org, not a member, an ended
 * session) the caller must show nothing else: the other reads only ever read that person's own
 * rows and this org's version, and are thrown away with it. Tenant: the org of the slug.
 */
export async function readOrgPageFrame(claims: SessionClaims, slug: string): Promise<OrgPageFrame> {
  return withPipelinedTx(async (p) => {
    const found = sendMembershipRead(p, claims, slug);
    const orgId = sql`nullif(current_setting('app.org_id', true), '')::uuid`;
    void p.query(sql`select set_config('app.user_id', ${claims.userId}, true)`);
    const orgs = p.query<MyOrganization>(myOrganizationsQuery(claims.userId, claims.sessionId));
    const unread = p.query<{ n: number }>(myUnreadCountQuery(orgId, claims.userId));
    // org_data_version refuses an org other than `app.org_id`'s: only when the slug found one.
    const version = p.query<{ v: string | null }>(
      sql`select case when ${orgId} is not null then org_data_version(${orgId}) end as v`,
    );
    p.commit();
    return {
      found: await found,
      chrome: { orgs: await orgs, unread: Number((await unread)[0]?.n ?? 0) },
      dataVersion: (await version)[0]?.v ?? '0',
    };
  });
}
