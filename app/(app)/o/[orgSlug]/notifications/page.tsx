import type { Metadata } from 'next';
import { WorkspaceLink } from '@/components/layout/workspace-link';
import { getMyEmailPreferences } from '@/lib/dal/notifications/preferences';
import { listMyNotifications } from '@/lib/dal/notifications/inbox';
import { NOTIFICATION_KIND_LABELS, NOTIFICATION_KINDS } from '@/lib/notify/kinds';
import { requireOrgPage } from '@/lib/server/page-context';
import { EmailPreferencesForm } from './_components/email-preferences-form';
import { MarkReadButton } from './_components/mark-read-button';
import { formatInstant } from '@/lib/domain/dates';

export const metadata: Metadata = { title: 'Notifications' };

/** My inbox in this organization (my notifications only) and my e-mail preferences. */
export default async function NotificationsPage({
  params,
}: {
  params: Promise<{ orgSlug: string }>;
}) {
  const { orgSlug } = await params;
  const ctx = await requireOrgPage(orgSlug);
  const [items, preferences] = await Promise.all([
    listMyNotifications(ctx),
    getMyEmailPreferences(ctx),
  ]);
  const unread = items.filter((n) => !n.read).length;

  return (
    <div className="mx-auto max-w-3xl space-y-6">
      <div className="flex flex-wrap items-end justify-between gap-3">
        <div>
          <h1 className="text-2xl font-semibold">Notifications</h1>
          <p className="mt-1 text-sm text-gray-600">
            {unread === 0 ? 'Nothing unread.' : `${unread} unread.`} Times in {ctx.org.timeZone}.
          </p>
        </div>
        {unread > 0 ? (
          <MarkReadButton orgSlug={ctx.org.slug} label="Mark all read: every notification here" />
        ) : null}
      </div>

      <section
        aria-labelledby="inbox-heading"
        className="rounded-xl border border-gray-200 bg-white shadow-sm"
      >
        <h2 id="inbox-heading" className="sr-only">
          Inbox
        </h2>
        {items.length === 0 ? (
          <p className="p-4 text-sm text-gray-600">
            No notifications yet. Check-in reminders for the KPIs you own arrive here (and by
            e-mail) before a period ends and on its due date.
          </p>
        ) : (
          <ul className="divide-y divide-gray-100">
            {items.map((n) => (
              <li
                key={n.id}
                data-testid="notification"
                data-read={n.read ? 'true' : 'false'}
                className={`flex flex-wrap items-start gap-3 px-4 py-3 ${n.read ? '' : 'bg-indigo-50/50'}`}
              >
                <span
                  aria-hidden="true"
                  className={`mt-1.5 h-2 w-2 shrink-0 rounded-full ${n.read ? 'bg-transparent' : 'bg-indigo-600'}`}
                />
                <div className="min-w-0 flex-1">
                  <WorkspaceLink
                    href={n.link}
                    className="text-sm font-medium text-gray-900 hover:text-indigo-700 hover:underline"
                  >
                    {n.subject}
                  </WorkspaceLink>
                  <p className="mt-0.5 break-words text-sm text-gray-600">{n.body}</p>
                  <p className="mt-0.5 text-xs text-gray-500">
                    {formatInstant(n.createdAt, ctx.org.timeZone, ctx.org.locale)}
                    {n.read ? ' · read' : ''}
                  </p>
                </div>
                {n.read ? null : (
                  <MarkReadButton
                    orgSlug={ctx.org.slug}
                    id={n.id}
                    label={`Mark read: "${n.subject}"`}
                  />
                )}
              </li>
            ))}
          </ul>
        )}
      </section>

      <section
        aria-labelledby="email-heading"
        className="rounded-xl border border-gray-200 bg-white shadow-sm"
      >
        <div className="border-b border-gray-200 px-4 py-3">
          <h2 id="email-heading" className="font-semibold">
            E-mail
          </h2>
          <p className="mt-0.5 text-xs text-gray-500">
            What {ctx.org.name} may e-mail you. Notifications always arrive here.
          </p>
        </div>
        <div className="p-4">
          <EmailPreferencesForm
            orgSlug={ctx.org.slug}
            kinds={NOTIFICATION_KINDS.map((kind) => ({ kind, ...NOTIFICATION_KIND_LABELS[kind] }))}
            initial={preferences}
          />
        </div>
      </section>
    </div>
  );
}
