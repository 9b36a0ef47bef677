import { and, eq, inArray, notExists, type SQL } from 'drizzle-orm';
import type { AnyPgColumn } from 'drizzle-orm/pg-core';
import { withOrgTx, type Executor, type Tx } from '@/db/client';
import {
  mailDeliveries,
  notificationItems,
  notificationPreferences,
  notifications,
  users,
} from '@/db/schema';
import type { NotificationKind } from '@/lib/notify/kinds';

/** A notification to create (unless its deduplication key exists already). */
export type NotificationDraft = {
  recipientUserId: string;
  kind: NotificationKind;
  dedupKey: string;
  subject: string;
  body: string;
  link: string;
  kpiId: string | null;
  scope: string | null;
  /** The missing values it lists (recorded as notification_items), if it lists any. */
  items?: readonly NotificationItem[];
};

/** One (KPI, period) a notification is about. */
export type NotificationItem = { kpiId: string; periodStart: string };

/** The e-mail of a new notification, rendered for its recipient. */
export type DraftMail = {
  subject: string;
  text: string;
  html: string;
  unsubscribeUrl: string;
  /** A file to attach (a scheduled report's PDF), kept with the delivery. */
  attachment?: MailAttachment;
};

/** An attached file: its name, MIME type and bytes. */
export type MailAttachment = { filename: string; contentType: string; content: Uint8Array };

/**
 * Creates notifications inside the caller's tenant transaction, at most once per
 * (organization, recipient, deduplication key): an existing key is left alone and gets no new
 * mail. Each new one whose recipient has e-mail on for its kind gets a mail delivery, `pending`
 * when SMTP is configured (a worker sends it), else `outbox` (listed for admins). Returns the
 * notifications actually created. Tenant: orgId (the transaction's app.org_id).
 */
export async function createNotifications(
  tx: Tx,
  orgId: string,
  drafts: readonly NotificationDraft[],
  opts: {
    now: Date;
    smtpConfigured: boolean;
    renderMail: (draft: NotificationDraft, recipient: { name: string; email: string }) => DraftMail;
    messageIdHost: string;
  },
): Promise<{ id: string; recipientUserId: string; dedupKey: string }[]> {
  if (drafts.length === 0) return [];
  const created = await tx
    .insert(notifications)
    .values(drafts.map(({ items: _items, ...d }) => ({ ...d, orgId, createdAt: opts.now })))
    .onConflictDoNothing({
      target: [notifications.orgId, notifications.recipientUserId, notifications.dedupKey],
    })
    .returning({
      id: notifications.id,
      recipientUserId: notifications.recipientUserId,
      dedupKey: notifications.dedupKey,
      kind: notifications.kind,
    });
  if (created.length === 0) return [];
  const recipientIds = [...new Set(created.map((c) => c.recipientUserId))];
  const [people, optedOut] = await Promise.all([
    tx
      .select({ id: users.id, name: users.name, email: users.email })
      .from(users)
      .where(inArray(users.id, recipientIds)),
    tx
      .select({ userId: notificationPreferences.userId, kind: notificationPreferences.kind })
      .from(notificationPreferences)
      .where(
        and(
          eq(notificationPreferences.orgId, orgId),
          inArray(notificationPreferences.userId, recipientIds),
          eq(notificationPreferences.email, false),
        ),
      ),
  ]);
  const byId = new Map(people.map((p) => [p.id, p]));
  const off = new Set(optedOut.map((o) => `${o.userId}:${o.kind}`));
  const draftByKey = new Map(drafts.map((d) => [`${d.recipientUserId}:${d.dedupKey}`, d]));
  const items = created.flatMap((c) =>
    (draftByKey.get(`${c.recipientUserId}:${c.dedupKey}`)?.items ?? []).map((i) => ({
      orgId,
      notificationId: c.id,
      kpiId: i.kpiId,
      periodStart: i.periodStart,
    })),
  );
  if (items.length > 0) await tx.insert(notificationItems).values(items).onConflictDoNothing();
  const deliveries = created.flatMap((c) => {
    const person = byId.get(c.recipientUserId);
    const draft = draftByKey.get(`${c.recipientUserId}:${c.dedupKey}`);
    if (!person || !draft || off.has(`${c.recipientUserId}:${c.kind}`)) return [];
    const mail = opts.renderMail(draft, person);
    return [
      {
        orgId,
        notificationId: c.id,
        toAddress: person.email,
        subject: mail.subject,
        textBody: mail.text,
        htmlBody: mail.html,
        unsubscribeUrl: mail.unsubscribeUrl,
        status: opts.smtpConfigured ? ('pending' as const) : ('outbox' as const),
        nextAttemptAt: opts.now,
        messageId: `<${c.id}@${opts.messageIdHost}>`,
        createdAt: opts.now,
        updatedAt: opts.now,
        attachmentName: mail.attachment?.filename ?? null,
        attachmentType: mail.attachment?.contentType ?? null,
        attachment: mail.attachment?.content ?? null,
      },
    ];
  });
  if (deliveries.length > 0) {
    await tx.insert(mailDeliveries).values(deliveries).onConflictDoNothing();
  }
  return created.map(({ id, recipientUserId, dedupKey }) => ({ id, recipientUserId, dedupKey }));
}

/**
 * createNotifications in a transaction of its own, for jobs whose drafts were made from reads
 * outside it (digests, scheduled reports); returns how many were new. Tenant: orgId.
 */
export async function createNotificationsInOrg(
  orgId: string,
  drafts: readonly NotificationDraft[],
  opts: Parameters<typeof createNotifications>[3],
): Promise<number> {
  return withOrgTx(
    orgId,
    async (tx) => (await createNotifications(tx, orgId, drafts, opts)).length,
  );
}

/**
 * A condition for a query over people: the person in `userId` (a column of that query) has no
 * notification with `dedupKey` yet, so jobs skip work already done. Tenant: orgId.
 */
export function notNotifiedYet(
  db: Executor,
  orgId: string,
  userId: AnyPgColumn,
  dedupKey: string,
): SQL {
  return notExists(
    db
      .select({ id: notifications.id })
      .from(notifications)
      .where(
        and(
          eq(notifications.orgId, orgId),
          eq(notifications.recipientUserId, userId),
          eq(notifications.dedupKey, dedupKey),
        ),
      ),
  );
}
