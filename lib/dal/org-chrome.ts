import { sql } from 'drizzle-orm';
import { withOrgPipelinedTx } from '@/db/pipeline';
import type { OrgContext } from '@/lib/server/org-context';
import { myOrganizationsQuery, type MyOrganization } from './memberships';
import { myUnreadCountQuery } from './notifications/inbox';

/**
 * What the org layout shows around every page besides the org context: the switcher's
 * organizations and the bell's unread count, in one pipelined round trip (both are read on every
 * page; as two transactions they took five). `sessionId`: the browser session (see
 * myOrganizationsQuery). Tenant: ctx.org, and the actor's own memberships.
 */
export async function getOrgChrome(
  ctx: OrgContext,
  sessionId?: string,
): Promise<{ orgs: MyOrganization[]; unread: number }> {
  return withOrgPipelinedTx(ctx.org.id, async (p) => {
    void p.query(sql`select set_config('app.user_id', ${ctx.actor.userId}, true)`);
    const orgs = p.query<MyOrganization>(myOrganizationsQuery(ctx.actor.userId, sessionId));
    const unread = p.query<{ n: number }>(myUnreadCountQuery(ctx));
    p.commit();
    return { orgs: await orgs, unread: Number((await unread)[0]?.n ?? 0) };
  });
}
