import type { NotificationDraft } from '@/lib/dal/notifications/create';
import type { WebhookEventDraft } from '@/lib/dal/webhooks/outbox';
import {
  listOrganizationsForJobs,
  type JobOrg,
  type JobOrgScope,
} from '@/lib/dal/notifications/job-orgs';
import {
  handleValueEvents,
  listOrgsWithValueEvents,
  type ValueEvent,
} from '@/lib/dal/notifications/status-alerts';
import { todayInTimeZone } from '@/lib/domain/dates';
import { normalizeDecimal } from '@/lib/domain/decimal';
import { formatValue } from '@/lib/domain/format';
import { periodLabel } from '@/lib/domain/periods';
import {
  gradeValueChange,
  mergeSameWrite,
  statusAlertDedupKey,
  statusAlertRecipients,
  valueChangeCrossing,
  type Crossing,
} from '@/lib/domain/status-alerts';
import { STATUS_LABEL } from '@/lib/domain/status-text';
import { renderNotificationMail } from '@/lib/mail/notification-mail';
import type { NotifyConfig } from './config';
import { absoluteUrl, appPaths, messageIdHost, unsubscribeLinks } from './links';

/*
 * Off-track alerts (issue 19, item 4): who hears of which status crossing. Writes record value
 * changes in the outbox `kpi_value_events` in their own transaction; this grades each change at
 * the write's instant and tells the KPI's owner and its unit's lead once per crossing.
 * Idempotent by `status:<kpi>:<period>:<from>-><to>:<event id>` per recipient.
 */

const KIND = 'status_alert' as const;

type Alert = { event: ValueEvent; crossing: Crossing; value: string; target: string };

function thresholdsOf(org: JobOrg) {
  return {
    green: org.greenThreshold,
    amber: org.amberThreshold,
    minElapsed: org.gradingMinElapsed,
  };
}

/** The grading input of one value change, at the write's instant in the org's time zone. */
function changeOf(org: JobOrg, e: ValueEvent) {
  return {
    oldValue: e.oldValue,
    newValue: e.newValue,
    target: e.target,
    baseline: e.baseline,
    direction: e.direction,
    timeAggregation: e.timeAggregation,
    periodStart: e.periodStart,
    cadence: e.cadence,
    today: todayInTimeZone(org.timeZone, e.at),
    thresholds: thresholdsOf(org),
  };
}

/** `kpi.status_changed` webhook events: every change of status a write made (merged per write). */
function statusChangeEvents(org: JobOrg, events: readonly ValueEvent[]): WebhookEventDraft[] {
  return mergeSameWrite(events).flatMap((e): WebhookEventDraft[] => {
    const { before, after } = gradeValueChange(changeOf(org, e));
    if (before.status === after.status) return [];
    return [
      {
        type: 'kpi.status_changed',
        kpiId: e.kpiId,
        data: {
          periodStart: e.periodStart,
          cadence: e.cadence,
          from: before.status,
          to: after.status,
          oldValue: e.oldValue === null ? null : normalizeDecimal(e.oldValue),
          value: e.newValue === null ? null : normalizeDecimal(e.newValue),
          target: after.target,
          changedAt: e.at.toISOString(),
        },
      },
    ];
  });
}

function alertsOf(org: JobOrg, events: readonly ValueEvent[]): Alert[] {
  return mergeSameWrite(events).flatMap((e) => {
    const graded = valueChangeCrossing(changeOf(org, e));
    if (!graded) return [];
    return [
      {
        event: e,
        crossing: graded.crossing,
        value: formatValue(e.newValue, e, org.locale),
        target: formatValue(graded.evaluation.target, e, org.locale),
      },
    ];
  });
}

/** "Revenue is off track for Nov 2026" / "Revenue is back on track for Nov 2026". */
function subjectOf(org: JobOrg, a: Alert): string {
  const period = periodLabel(a.event.periodStart, a.event.cadence, org.fyStartMonth, org.locale);
  return a.crossing.to === 'on_track'
    ? `${a.event.kpiName} is back on track for ${period}`
    : `${a.event.kpiName} is ${STATUS_LABEL[a.crossing.to].toLowerCase()} for ${period}`;
}

function detailOf(org: JobOrg, a: Alert): string {
  const period = periodLabel(a.event.periodStart, a.event.cadence, org.fyStartMonth, org.locale);
  return `${period}: ${a.value} against a target of ${a.target}, ${STATUS_LABEL[a.crossing.to]} (was ${STATUS_LABEL[a.crossing.from]})`;
}

/** Turns every waiting value event into alerts, organization by organization. */
export async function createStatusAlerts(
  now: Date,
  config: NotifyConfig,
  scope?: JobOrgScope,
): Promise<{ events: number; created: number }> {
  const waiting = new Set(await listOrgsWithValueEvents());
  const result = { events: 0, created: 0 };
  if (waiting.size === 0) return result;
  for (const org of await listOrganizationsForJobs(scope)) {
    if (!waiting.has(org.id)) continue;
    for (;;) {
      let byKey = new Map<string, Alert>();
      const run = await handleValueEvents(org.id, {
        now,
        smtpConfigured: Boolean(config.smtpUrl),
        messageIdHost: messageIdHost(config),
        webhookEvents: (events) => statusChangeEvents(org, events),
        draft: (events) => {
          byKey = new Map();
          return alertsOf(org, events).flatMap((a) => {
            const dedupKey = statusAlertDedupKey({
              kpiId: a.event.kpiId,
              periodStart: a.event.periodStart,
              crossing: a.crossing,
              eventId: a.event.id,
            });
            byKey.set(dedupKey, a);
            return statusAlertRecipients(a.event).map((recipientUserId): NotificationDraft => ({
              recipientUserId,
              kind: KIND,
              dedupKey,
              subject: subjectOf(org, a),
              body: detailOf(org, a),
              link: appPaths.kpi(org.slug, a.event.kpiId),
              kpiId: a.event.kpiId,
              scope: `period:${a.event.cadence}:${a.event.periodStart}`,
            }));
          });
        },
        renderMail: (draft, recipient) => {
          const a = byKey.get(draft.dedupKey)!;
          const links = unsubscribeLinks(config, {
            orgId: org.id,
            userId: draft.recipientUserId,
            kind: KIND,
          });
          const kpiUrl = absoluteUrl(config, appPaths.kpi(org.slug, a.event.kpiId));
          const rendered = renderNotificationMail({
            orgName: org.name,
            timeZone: org.timeZone,
            recipientName: recipient.name,
            subject: draft.subject,
            intro:
              a.crossing.to === 'on_track'
                ? `${a.event.kpiName} is on track again.`
                : `${a.event.kpiName} is now ${STATUS_LABEL[a.crossing.to].toLowerCase()}.`,
            sections: [
              {
                heading: 'Status change',
                items: [{ label: a.event.kpiName, detail: detailOf(org, a), url: kpiUrl }],
              },
            ],
            action: { label: 'Open the KPI', url: kpiUrl },
            unsubscribeUrl: links.page,
            preferencesUrl: absoluteUrl(config, appPaths.notifications(org.slug)),
          });
          return { ...rendered, unsubscribeUrl: links.oneClick };
        },
      });
      result.events += run.events;
      result.created += run.created;
      if (run.events === 0) break;
    }
  }
  return result;
}
