import { listOrganizationsForJobs, type JobOrgScope } from '@/lib/dal/notifications/job-orgs';
import {
  claimDueWebhooks,
  fanOutWebhookEvents,
  listOrgsWithWebhookWork,
  settleWebhookAttempt,
  type AttemptResult,
  type ClaimedWebhook,
  type DisabledNotice,
} from '@/lib/dal/webhooks/dispatch';
import { recordClosedPeriods } from '@/lib/dal/webhooks/period-closed';
import { renderNotificationMail } from '@/lib/mail/notification-mail';
import type { NotifyConfig } from '@/lib/notify/config';
import { absoluteUrl, appPaths, messageIdHost, unsubscribeLinks } from '@/lib/notify/links';
import { openSecret } from '@/lib/security/secret-box';
import { secretKeyFor } from '@/lib/security/secret-key';
import { sendWebhook, type WebhookRequest } from './send';
import { webhookHeaders } from './signing';

/*
 * The webhook delivery run (issue 23, item 2), every minute from the job queue and in
 * `jobs:run-due`: per organization with work, announce closed periods, fan the outbox out to
 * endpoints, then claim and send what is due, each attempt signed afresh (Standard Webhooks:
 * same `webhook-id`, new timestamp and signature). Sending happens outside any transaction.
 * Idempotent by each delivery's state (a claim is taken once; only its claimer settles it) and
 * by the period marks. An endpoint failing for a day is disabled and its admins told (inbox and
 * e-mail), key `webhook-disabled:<endpoint>:<failing since>`.
 */

const BATCH = 20;
const KIND = 'webhook_disabled' as const;

export type WebhookRun = {
  periods: number;
  events: number;
  delivered: number;
  retrying: number;
  failed: number;
  disabled: number;
};

export async function deliverWebhooks(
  now: Date,
  config: NotifyConfig,
  opts: {
    send?: (request: WebhookRequest) => Promise<AttemptResult>;
    /** Tests only: see JobOrgScope. */
    scope?: JobOrgScope;
  } = {},
): Promise<WebhookRun> {
  const result: WebhookRun = {
    periods: 0,
    events: 0,
    delivered: 0,
    retrying: 0,
    failed: 0,
    disabled: 0,
  };
  const waiting = new Set(await listOrgsWithWebhookWork(now));
  if (waiting.size === 0) return result;
  const send = opts.send ?? sendWebhook;
  const key = secretKeyFor('integrations');
  for (const org of await listOrganizationsForJobs(opts.scope)) {
    if (!waiting.has(org.id)) continue;
    result.periods += await recordClosedPeriods(org, now);
    for (;;) {
      const handled = await fanOutWebhookEvents(org.id, now);
      result.events += handled;
      if (handled === 0) break;
    }
    const link = appPaths.webhooks(org.slug);
    const subject = 'A webhook endpoint was turned off';
    const bodyOf = (e: { url: string; failingSince: Date }) =>
      `Every delivery to ${e.url} failed since ${e.failingSince.toISOString()}; it was turned off. Fix the receiver, then turn it on again.`;
    const notice: DisabledNotice = {
      smtpConfigured: Boolean(config.smtpUrl),
      messageIdHost: messageIdHost(config),
      draft: (endpoint, adminUserIds) =>
        adminUserIds.map((recipientUserId) => ({
          recipientUserId,
          kind: KIND,
          dedupKey: `webhook-disabled:${endpoint.id}:${endpoint.failingSince.toISOString()}`,
          subject,
          body: bodyOf(endpoint),
          link,
          kpiId: null,
          scope: `webhook:${endpoint.id}`,
        })),
      renderMail: (draft, recipient) => {
        const links = unsubscribeLinks(config, {
          orgId: org.id,
          userId: draft.recipientUserId,
          kind: KIND,
        });
        const url = absoluteUrl(config, link);
        const rendered = renderNotificationMail({
          orgName: org.name,
          timeZone: org.timeZone,
          recipientName: recipient.name,
          subject,
          intro: draft.body,
          sections: [],
          action: { label: 'Open the webhook settings', url },
          unsubscribeUrl: links.page,
          preferencesUrl: absoluteUrl(config, appPaths.notifications(org.slug)),
        });
        return { ...rendered, unsubscribeUrl: links.oneClick };
      },
    };
    for (;;) {
      const claimed = await claimDueWebhooks(org.id, now, BATCH);
      if (claimed.length === 0) break;
      for (const delivery of claimed) {
        const attempt = await attemptOne(delivery, key, now, send);
        const status = await settleWebhookAttempt(delivery, attempt, now, notice);
        if (status === 'disabled') {
          result.failed += 1;
          result.disabled += 1;
        } else if (status) result[status] += 1;
      }
    }
  }
  return result;
}

async function attemptOne(
  delivery: ClaimedWebhook,
  key: Buffer,
  now: Date,
  send: (request: WebhookRequest) => Promise<AttemptResult>,
): Promise<AttemptResult> {
  const secret = openSecret(delivery.secretSealed, key);
  if (secret === null) {
    return {
      ok: false,
      statusCode: null,
      durationMs: 0,
      error:
        'The signing secret cannot be read (INTEGRATIONS_SECRET_KEY changed): delete the endpoint and register it again.',
    };
  }
  return send({
    url: delivery.url,
    headers: webhookHeaders(secret, delivery.id, now, delivery.body),
    body: delivery.body,
  });
}
