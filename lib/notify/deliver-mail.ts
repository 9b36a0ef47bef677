import {
  claimDueDeliveries,
  listOrgsWithDueMail,
  markDeliveryFailed,
  markDeliverySent,
  type ClaimedDelivery,
} from '@/lib/dal/notifications/deliveries';
import { servesOrg, type JobOrgScope } from '@/lib/dal/notifications/job-orgs';
import { describeSendError, sendOverSmtp } from '@/lib/mail/transport';
import type { NotifyConfig } from './config';

/*
 * Sends the mail deliveries due at an instant (issue 19, item 7). Idempotent by the delivery's
 * state: only a claimed delivery is sent, and a claim is taken once (see
 * lib/dal/notifications/deliveries.ts). External effects happen outside any transaction.
 *
 * The one window left is a worker dying after the SMTP server accepted a message and before
 * the delivery is marked sent: after the lease the message goes again (at least once, never
 * lost). Such a resend carries the same Message-ID, which mail systems use to drop duplicates.
 * Marking "sent" before sending would turn that window into a lost message instead.
 */

const BATCH = 20;

export type DeliveryRun = { sent: number; retrying: number; failed: number };

export async function deliverDueMail(
  now: Date,
  config: NotifyConfig,
  opts: {
    send?: (delivery: ClaimedDelivery) => Promise<void>;
    /** Tests only: see JobOrgScope. */
    scope?: JobOrgScope;
  } = {},
): Promise<DeliveryRun> {
  const result: DeliveryRun = { sent: 0, retrying: 0, failed: 0 };
  const smtpUrl = config.smtpUrl;
  if (!smtpUrl) return result;
  const send =
    opts.send ??
    ((d: ClaimedDelivery) =>
      sendOverSmtp(smtpUrl, {
        from: config.from,
        to: d.toAddress,
        subject: d.subject,
        text: d.textBody,
        html: d.htmlBody,
        messageId: d.messageId,
        unsubscribeUrl: d.unsubscribeUrl,
        attachment: d.attachment,
      }));
  for (const orgId of await listOrgsWithDueMail(now)) {
    if (!servesOrg(opts.scope, orgId)) continue;
    for (;;) {
      const claimed = await claimDueDeliveries(orgId, now, BATCH);
      if (claimed.length === 0) break;
      for (const delivery of claimed) {
        try {
          await send(delivery);
        } catch (error) {
          const reason = describeSendError(error);
          const status = await markDeliveryFailed(delivery, reason, now);
          result[status] += 1;
          console.error(
            `[mail] delivery ${delivery.id} attempt ${delivery.attempt}: ${reason} (${status})`,
          );
          continue;
        }
        await markDeliverySent(delivery, now);
        result.sent += 1;
      }
    }
  }
  return result;
}
