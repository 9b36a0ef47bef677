import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { CardSection } from '@/components/ui/card-section';
import { can } from '@/lib/authz/can';
import { listWebhookEndpoints } from '@/lib/dal/webhooks/endpoints';
import { listWebhookDeliveries, type WebhookDeliveryDto } from '@/lib/dal/webhooks/log';
import { formatInstant } from '@/lib/domain/dates';
import { WEBHOOK_EVENT_TYPES } from '@/lib/domain/webhook-policy';
import { requireOrgPage } from '@/lib/server/page-context';
import { SettingsSubpageHeader } from '../_components/settings-subpage-header';
import {
  DeleteEndpointButton,
  ResendDeliveryButton,
  ToggleEndpointButton,
} from './_components/webhook-endpoint-buttons';
import { WebhookEndpointForm } from './_components/webhook-endpoint-form';

export const metadata: Metadata = { title: 'Webhooks' };

const STATUS: Record<WebhookDeliveryDto['status'], { label: string; className: string }> = {
  delivered: { label: 'Delivered', className: 'bg-emerald-50 text-emerald-800 ring-emerald-200' },
  pending: { label: 'Waiting', className: 'bg-gray-50 text-gray-700 ring-gray-200' },
  sending: { label: 'Sending', className: 'bg-sky-50 text-sky-800 ring-sky-200' },
  retrying: { label: 'Retrying', className: 'bg-amber-50 text-amber-800 ring-amber-200' },
  failed: { label: 'Failed', className: 'bg-red-50 text-red-800 ring-red-200' },
};

/** Deliveries listed per endpoint on this page. */
const SHOWN = 20;

/**
 * Webhooks (owners and admins): endpoints receiving signed events, each with its delivery log
 * (every attempt's status code, duration and error) and a Resend button; register, turn on or
 * off, delete.
 */
export default async function WebhooksPage({ params }: { params: Promise<{ orgSlug: string }> }) {
  const { orgSlug } = await params;
  const ctx = await requireOrgPage(orgSlug);
  if (!can(ctx, 'settings.manage')) notFound();
  const endpoints = await listWebhookEndpoints(ctx);
  const logs = await Promise.all(endpoints.map((e) => listWebhookDeliveries(ctx, e.id)));
  const tz = ctx.org.timeZone;

  return (
    <div className="mx-auto max-w-3xl space-y-6">
      <SettingsSubpageHeader orgSlug={ctx.org.slug} title="Webhooks">
        {ctx.org.name} POSTs signed JSON to these URLs when something happens (
        {WEBHOOK_EVENT_TYPES.join(', ')}), signed the Standard Webhooks way with each
        endpoint&apos;s secret. A failed delivery is retried with growing pauses for more than a
        day; an endpoint failing for a whole day is turned off and the admins told. Times in {tz}.
      </SettingsSubpageHeader>

      {endpoints.length === 0 ? (
        <section className="rounded-xl border border-gray-200 bg-white p-4 text-sm text-gray-600 shadow-sm">
          No endpoint yet.
        </section>
      ) : (
        endpoints.map((endpoint, i) => {
          const deliveries = logs[i] ?? [];
          return (
            <section
              key={endpoint.id}
              data-testid="webhook-endpoint"
              aria-label={`Endpoint ${endpoint.url}`}
              className="rounded-xl border border-gray-200 bg-white shadow-sm"
            >
              <div className="flex flex-col gap-3 border-b border-gray-200 px-4 py-3 sm:flex-row sm:items-start">
                <div className="min-w-0 flex-1">
                  <p className="break-all font-mono text-sm font-medium text-gray-900">
                    {endpoint.url}
                  </p>
                  <p className="mt-0.5 text-xs text-gray-500">
                    {endpoint.description ? `${endpoint.description} · ` : ''}
                    {endpoint.events.join(', ')}
                  </p>
                  <p className="mt-1 text-xs">
                    {endpoint.enabled ? (
                      endpoint.failingSince ? (
                        <span className="text-amber-800">
                          On · failing since{' '}
                          {formatInstant(endpoint.failingSince, tz, ctx.org.locale, {
                            year: false,
                          })}
                        </span>
                      ) : (
                        <span className="text-emerald-800">On</span>
                      )
                    ) : (
                      <span className="text-red-800">
                        Off{endpoint.disabledReason ? ` · ${endpoint.disabledReason}` : ''}
                      </span>
                    )}
                  </p>
                </div>
                <div className="flex flex-wrap gap-2">
                  <ToggleEndpointButton
                    orgSlug={ctx.org.slug}
                    endpointId={endpoint.id}
                    url={endpoint.url}
                    enabled={endpoint.enabled}
                  />
                  <DeleteEndpointButton
                    orgSlug={ctx.org.slug}
                    endpointId={endpoint.id}
                    url={endpoint.url}
                  />
                </div>
              </div>
              <h3 className="px-4 pt-3 text-sm font-medium text-gray-700">Delivery log</h3>
              {deliveries.length === 0 ? (
                <p className="px-4 pb-4 pt-1 text-sm text-gray-600">Nothing sent yet.</p>
              ) : (
                <ul className="divide-y divide-gray-100">
                  {deliveries.slice(0, SHOWN).map((d) => {
                    const status = STATUS[d.status];
                    const label = `${d.eventType} of ${formatInstant(d.createdAt, tz, ctx.org.locale, { year: false })}`;
                    return (
                      <li
                        key={d.id}
                        data-testid="webhook-delivery"
                        className="flex flex-wrap items-start gap-3 px-4 py-2.5"
                      >
                        <div className="min-w-0 flex-1">
                          <p className="flex flex-wrap items-center gap-2 text-sm">
                            <code className="font-mono text-xs text-gray-900">{d.eventType}</code>
                            <span
                              className={`rounded-full px-2 py-0.5 text-xs ring-1 ${status.className}`}
                            >
                              {status.label}
                            </span>
                            <span className="text-xs text-gray-500">
                              {formatInstant(d.createdAt, tz, ctx.org.locale, { year: false })}
                              {d.status === 'retrying'
                                ? ` · next try ${formatInstant(d.nextAttemptAt, tz, ctx.org.locale, { year: false })}`
                                : ''}
                            </span>
                          </p>
                          <ol className="mt-1 space-y-0.5 text-xs text-gray-600">
                            {d.log.map((a) => (
                              <li
                                key={`${a.attempt}-${a.attemptedAt}`}
                                data-testid="webhook-attempt"
                              >
                                Attempt {a.attempt} ·{' '}
                                {formatInstant(a.attemptedAt, tz, ctx.org.locale, { year: false })}{' '}
                                · {a.statusCode !== null ? `HTTP ${a.statusCode}` : 'no answer'} ·{' '}
                                {a.durationMs} ms
                                {a.error ? (
                                  <span className="break-words text-red-700"> · {a.error}</span>
                                ) : null}
                              </li>
                            ))}
                          </ol>
                        </div>
                        {endpoint.enabled && d.status !== 'sending' ? (
                          <ResendDeliveryButton
                            orgSlug={ctx.org.slug}
                            deliveryId={d.id}
                            label={label}
                          />
                        ) : null}
                      </li>
                    );
                  })}
                </ul>
              )}
            </section>
          );
        })
      )}

      <CardSection
        id="new-endpoint"
        title="Add an endpoint"
        description="Its signing secret is shown once, when it is added."
      >
        <WebhookEndpointForm orgSlug={ctx.org.slug} />
      </CardSection>
    </div>
  );
}
