import { and, count, desc, eq, sql } from 'drizzle-orm';
import { withOrgRead } from '@/db/client';
import { mailDeliveries, notifications, users } from '@/db/schema';
import { assertCan } from '@/lib/authz/can';
import type { OrgContext } from '@/lib/server/org-context';

/** One delivery as the admins' log shows it. */
export type DeliveryLogItem = {
  id: string;
  status: 'pending' | 'sending' | 'retrying' | 'sent' | 'failed' | 'outbox';
  toAddress: string;
  recipientName: string;
  subject: string;
  textBody: string;
  attempts: number;
  lastError: string | null;
  createdAt: string;
  sentAt: string | null;
  nextAttemptAt: string;
  /** The attached file's name and size in bytes (a scheduled report's PDF), if any. */
  attachment: { name: string; bytes: number } | null;
};

/**
 * The organization's mail deliveries, newest first, with counts per status: the deliveries log
 * and, without SMTP, the outbox. Permission: `settings.manage`. Tenant: ctx.org.
 */
export async function listMailDeliveries(
  ctx: OrgContext,
  limit = 100,
): Promise<{ items: DeliveryLogItem[]; counts: Record<string, number> }> {
  assertCan(ctx, 'settings.manage');
  return withOrgRead(ctx.org.id, async (db) => {
    const [rows, countRows] = await Promise.all([
      db
        .select({
          id: mailDeliveries.id,
          status: mailDeliveries.status,
          toAddress: mailDeliveries.toAddress,
          recipientName: users.name,
          subject: mailDeliveries.subject,
          textBody: mailDeliveries.textBody,
          attempts: mailDeliveries.attempts,
          lastError: mailDeliveries.lastError,
          createdAt: mailDeliveries.createdAt,
          sentAt: mailDeliveries.sentAt,
          nextAttemptAt: mailDeliveries.nextAttemptAt,
          attachmentName: mailDeliveries.attachmentName,
          attachmentBytes: sql<number | null>`octet_length(${mailDeliveries.attachment})`,
        })
        .from(mailDeliveries)
        .innerJoin(
          notifications,
          and(
            eq(notifications.orgId, mailDeliveries.orgId),
            eq(notifications.id, mailDeliveries.notificationId),
          ),
        )
        .innerJoin(users, eq(users.id, notifications.recipientUserId))
        .where(eq(mailDeliveries.orgId, ctx.org.id))
        .orderBy(desc(mailDeliveries.createdAt), desc(mailDeliveries.id))
        .limit(limit),
      db
        .select({ status: mailDeliveries.status, n: count() })
        .from(mailDeliveries)
        .where(eq(mailDeliveries.orgId, ctx.org.id))
        .groupBy(mailDeliveries.status),
    ]);
    return {
      items: rows.map(({ attachmentName, attachmentBytes, ...r }) => ({
        ...r,
        attachment:
          attachmentName && attachmentBytes !== null
            ? { name: attachmentName, bytes: Number(attachmentBytes) }
            : null,
        createdAt: r.createdAt.toISOString(),
        sentAt: r.sentAt?.toISOString() ?? null,
        nextAttemptAt: r.nextAttemptAt.toISOString(),
      })),
      counts: Object.fromEntries(countRows.map((c) => [c.status, c.n])),
    };
  });
}
