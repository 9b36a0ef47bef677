import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { can } from '@/lib/authz/can';
import { formatInstant } from '@/lib/domain/dates';
import { listMailDeliveries, type DeliveryLogItem } from '@/lib/dal/notifications/deliveries-log';
import { isMailConfigured } from '@/lib/mail/transport';
import { requireOrgPage } from '@/lib/server/page-context';
import { SettingsSubpageHeader } from '../_components/settings-subpage-header';

export const metadata: Metadata = { title: 'Mail deliveries' };

const STATUS: Record<DeliveryLogItem['status'], { label: string; className: string }> = {
  sent: { label: 'Sent', className: 'bg-emerald-50 text-emerald-800 ring-emerald-200' },
  pending: { label: 'Waiting', className: 'bg-gray-50 text-gray-700 ring-gray-200' },
  sending: { label: 'Sending', className: 'bg-sky-50 text-sky-800 ring-sky-200' },
  retrying: { label: 'Retrying', className: 'bg-amber-50 text-amber-800 ring-amber-200' },
  failed: { label: 'Failed', className: 'bg-red-50 text-red-800 ring-red-200' },
  outbox: { label: 'Outbox', className: 'bg-indigo-50 text-indigo-800 ring-indigo-200' },
};

function formatBytes(bytes: number): string {
  return bytes < 1024 ? `${bytes} bytes` : `${Math.round(bytes / 102.4) / 10} KB`;
}

/**
 * The organization's mail deliveries (admins): sent, retrying, failed and why; without an SMTP
 * server, the outbox of what would have been sent.
 */
export default async function MailDeliveriesPage({
  params,
}: {
  params: Promise<{ orgSlug: string }>;
}) {
  const { orgSlug } = await params;
  const ctx = await requireOrgPage(orgSlug);
  if (!can(ctx, 'settings.manage')) notFound();
  const { items, counts } = await listMailDeliveries(ctx);
  const configured = isMailConfigured();
  const tz = ctx.org.timeZone;

  return (
    <div className="mx-auto max-w-4xl space-y-6">
      <SettingsSubpageHeader orgSlug={ctx.org.slug} title="Mail deliveries">
        Every e-mail {ctx.org.name} sends, newest first (times in {tz}). A failed send is retried
        after 1, 4, 16 and 64 minutes, then given up.
      </SettingsSubpageHeader>

      {configured ? null : (
        <p
          data-testid="outbox-notice"
          className="rounded-lg border border-indigo-200 bg-indigo-50 px-4 py-3 text-sm text-indigo-900"
        >
          No mail server is configured (<code>SMTP_URL</code>), so nothing is sent: messages stay
          here in the outbox, exactly as they would go out.
        </p>
      )}

      <ul className="flex flex-wrap gap-2 text-xs" aria-label="Deliveries by status">
        {(Object.keys(STATUS) as DeliveryLogItem['status'][])
          .filter((s) => counts[s])
          .map((s) => (
            <li key={s} className={`rounded-full px-2.5 py-1 ring-1 ${STATUS[s].className}`}>
              {STATUS[s].label}: {counts[s]}
            </li>
          ))}
      </ul>

      <section
        aria-labelledby="deliveries-heading"
        className="rounded-xl border border-gray-200 bg-white shadow-sm"
      >
        <h2 id="deliveries-heading" className="sr-only">
          Deliveries
        </h2>
        {items.length === 0 ? (
          <p className="p-4 text-sm text-gray-600">
            Nothing sent yet. Check-in reminders go out before each period ends and on its due date.
          </p>
        ) : (
          <ul className="divide-y divide-gray-100">
            {items.map((d) => (
              <li key={d.id} data-testid="delivery" className="px-4 py-3">
                <div className="flex flex-wrap items-center gap-2">
                  <span
                    className={`rounded-full px-2 py-0.5 text-xs font-medium ring-1 ${STATUS[d.status].className}`}
                  >
                    {STATUS[d.status].label}
                  </span>
                  <span className="min-w-0 flex-1 break-words text-sm font-medium text-gray-900">
                    {d.subject}
                  </span>
                  <span className="text-xs text-gray-500">{formatInstant(d.createdAt, tz)}</span>
                </div>
                <p className="mt-1 break-words text-xs text-gray-600">
                  To {d.recipientName} &lt;{d.toAddress}&gt;
                  {d.attempts > 0 ? ` · ${d.attempts} attempt${d.attempts === 1 ? '' : 's'}` : ''}
                  {d.sentAt ? ` · sent ${formatInstant(d.sentAt, tz)}` : ''}
                  {d.status === 'retrying'
                    ? ` · next try ${formatInstant(d.nextAttemptAt, tz)}`
                    : ''}
                </p>
                {d.attachment ? (
                  <p className="mt-1 break-words text-xs text-gray-600" data-testid="attachment">
                    Attached: {d.attachment.name} ({formatBytes(d.attachment.bytes)})
                  </p>
                ) : null}
                {d.lastError ? (
                  <p className="mt-1 break-words text-xs text-red-700">Why: {d.lastError}</p>
                ) : null}
                <details className="mt-1">
                  <summary className="cursor-pointer text-xs text-indigo-700">The message</summary>
                  <pre className="mt-2 max-h-80 overflow-auto whitespace-pre-wrap break-words rounded-md bg-gray-50 p-3 text-xs text-gray-800">
                    {d.textBody}
                  </pre>
                </details>
              </li>
            ))}
          </ul>
        )}
      </section>
    </div>
  );
}
