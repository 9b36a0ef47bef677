import type { NotificationDraft } from '@/lib/dal/notifications/create';
import { recordDueEscalations, type EscalationItem } from '@/lib/dal/notifications/escalations';
import type { JobOrg, JobOrgScope } from '@/lib/dal/notifications/job-orgs';
import { formatDay } from '@/lib/domain/dates';
import { escalationDedupKey, escalationSlotsOn } from '@/lib/domain/escalation';
import { periodLabel } from '@/lib/domain/periods';
import { renderNotificationMail } from '@/lib/mail/notification-mail';
import type { NotifyConfig } from './config';
import { absoluteUrl, appPaths, unsubscribeLinks } from './links';
import { sweepOrganizationsAtReminderHour } from './org-sweep';

/*
 * Escalation of missing check-ins (issue 19, item 3, first part): who gets what. Idempotent by
 * the key `escalation:<local date>` per lead and organization: one message a lead and day lists
 * who in their area has not reported what.
 */

const KIND = 'missing_escalation' as const;

/** A chain is never deeper than this many leads (unit trees are a few levels deep). */
const MAX_STEPS = 12;

function itemDetail(org: JobOrg, item: EscalationItem): string {
  return `${item.ownerName}, ${periodLabel(item.periodStart, item.cadence, org.fyStartMonth, org.locale)}, was due ${formatDay(item.dueDate, org.locale)}`;
}

function groupByLead(items: readonly EscalationItem[]): Map<string, EscalationItem[]> {
  const byLead = new Map<string, EscalationItem[]>();
  for (const item of items) {
    const list = byLead.get(item.leadUserId) ?? [];
    list.push(item);
    byLead.set(item.leadUserId, list);
  }
  for (const list of byLead.values()) {
    list.sort(
      (a, b) =>
        a.dueDate.localeCompare(b.dueDate) ||
        a.ownerName.localeCompare(b.ownerName) ||
        a.kpiName.localeCompare(b.kpiName),
    );
  }
  return byLead;
}

/** Creates the escalations due at `now` in every organization. */
export async function createDueEscalations(
  now: Date,
  config: NotifyConfig,
  scope?: JobOrgScope,
): Promise<{ created: number }> {
  return sweepOrganizationsAtReminderHour(now, config, scope, async (org, date, create) => {
    const slots = escalationSlotsOn(
      date,
      org.fyStartMonth,
      { daysBefore: org.reminderDaysBefore, graceDays: org.reminderGraceDays },
      MAX_STEPS,
      org.escalationDelayDays,
    );
    if (slots.length === 0) return 0;
    let byLead = new Map<string, EscalationItem[]>();
    return recordDueEscalations(org.id, slots, {
      ...create,
      draft: (items) => {
        byLead = groupByLead(items);
        return [...byLead.entries()].map(([leadUserId, mine]): NotificationDraft => {
          const n = mine.length;
          return {
            recipientUserId: leadUserId,
            kind: KIND,
            dedupKey: escalationDedupKey(date),
            subject: `Missing in your area: ${n} KPI ${n === 1 ? 'value' : 'values'} not reported`,
            body: mine.map((i) => `${i.kpiName} (${itemDetail(org, i)})`).join('; '),
            link: n === 1 ? appPaths.kpi(org.slug, mine[0]!.kpiId) : `/o/${org.slug}`,
            kpiId: n === 1 ? mine[0]!.kpiId : null,
            scope: `escalations:${date}`,
            items: mine.map((i) => ({ kpiId: i.kpiId, periodStart: i.periodStart })),
          };
        });
      },
      renderMail: (draft, recipient) => {
        const mine = byLead.get(draft.recipientUserId) ?? [];
        const links = unsubscribeLinks(config, {
          orgId: org.id,
          userId: draft.recipientUserId,
          kind: KIND,
        });
        const rendered = renderNotificationMail({
          orgName: org.name,
          timeZone: org.timeZone,
          recipientName: recipient.name,
          subject: draft.subject,
          intro:
            'These values are still missing days after they were due, from people in the area you lead. ' +
            'A word from you usually settles it.',
          sections: [
            {
              heading: 'Not reported',
              items: mine.map((i) => ({
                label: i.kpiName,
                detail: itemDetail(org, i),
                url: absoluteUrl(config, appPaths.kpi(org.slug, i.kpiId)),
              })),
            },
          ],
          action: { label: 'Open your dashboard', url: absoluteUrl(config, `/o/${org.slug}`) },
          unsubscribeUrl: links.page,
          preferencesUrl: absoluteUrl(config, appPaths.notifications(org.slug)),
        });
        return { ...rendered, unsubscribeUrl: links.oneClick };
      },
    });
  });
}
