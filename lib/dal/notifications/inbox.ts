import { and, desc, eq, inArray, isNull, sql, type SQL } from 'drizzle-orm';
import { withOrgRead, type Tx } from '@/db/client';
import { notifications } from '@/db/schema';
import type { OrgContext } from '@/lib/server/org-context';
import type { MarkNotificationsReadInput } from '@/lib/validation/notifications';

/** A notification as the inbox shows it. */
export type InboxItem = {
  id: string;
  kind: string;
  subject: string;
  body: string;
  link: string;
  createdAt: string;
  read: boolean;
};

/*
 * The in-app inbox. Every query is scoped by the organization (ctx.org, also row-level
 * security) and by the actor as recipient: a person only ever sees their own notifications.
 */

/** The actor's latest notifications in this organization, newest first. */
export async function listMyNotifications(ctx: OrgContext, limit = 50): Promise<InboxItem[]> {
  return withOrgRead(ctx.org.id, async (db) => {
    const rows = await db
      .select({
        id: notifications.id,
        kind: notifications.kind,
        subject: notifications.subject,
        body: notifications.body,
        link: notifications.link,
        createdAt: notifications.createdAt,
        readAt: notifications.readAt,
      })
      .from(notifications)
      .where(
        and(
          eq(notifications.orgId, ctx.org.id),
          eq(notifications.recipientUserId, ctx.actor.userId),
        ),
      )
      .orderBy(desc(notifications.createdAt), desc(notifications.id))
      .limit(limit);
    return rows.map((r) => ({
      id: r.id,
      kind: r.kind,
      subject: r.subject,
      body: r.body,
      link: r.link,
      createdAt: r.createdAt.toISOString(),
      read: r.readAt !== null,
    }));
  });
}

/**
 * How many of this person's notifications in the organization `orgId` names (a uuid expression)
 * are unread (the bell), as a statement for a tenant transaction of that organization (every
 * page reads it in its frame, lib/dal/org-page-frame.ts).
 */
export function myUnreadCountQuery(orgId: SQL, userId: string): SQL {
  return sql`select count(*)::int as n from notifications
      where org_id = ${orgId} and recipient_user_id = ${userId}::uuid and read_at is null`;
}

/**
 * Marks the actor's notifications read: the given ids (another person's or organization's ids
 * are ignored, like missing ones), or all of them. Returns how many changed.
 */
export async function markMyNotificationsRead(
  ctx: OrgContext,
  tx: Tx,
  input: MarkNotificationsReadInput,
  now: Date = new Date(),
): Promise<{ marked: number }> {
  const mine = and(
    eq(notifications.orgId, ctx.org.id),
    eq(notifications.recipientUserId, ctx.actor.userId),
    isNull(notifications.readAt),
  );
  const rows = await tx
    .update(notifications)
    .set({ readAt: now })
    .where(input.all ? mine : and(mine, inArray(notifications.id, input.ids)))
    .returning({ id: notifications.id });
  return { marked: rows.length };
}
