import type { DraftMail, NotificationDraft } from '@/lib/dal/notifications/create';
import type { JobOrg, JobOrgScope } from '@/lib/dal/notifications/job-orgs';
import { recordDueReminders } from '@/lib/dal/notifications/reminders';
import { formatDay } from '@/lib/domain/dates';
import { periodLabel } from '@/lib/domain/periods';
import {
  groupByRecipient,
  reminderDedupKey,
  reminderSlotsOn,
  type DueItem,
} from '@/lib/domain/reminders';
import { renderNotificationMail } from '@/lib/mail/notification-mail';
import type { NotifyConfig } from './config';
import { absoluteUrl, appPaths, unsubscribeLinks } from './links';
import { sweepOrganizationsAtReminderHour } from './org-sweep';

/*
 * Check-in reminders (issue 19, item 2): who gets what. Idempotent by the key
 * `reminder:<local date>` per person and organization: one message a person and day lists
 * everything due, and running again the same day creates nothing.
 */

const KIND = 'checkin_reminder' as const;

/** What a reminder's text needs of its organization. */
type ReminderOrg = Pick<JobOrg, 'id' | 'slug' | 'name' | 'timeZone' | 'fyStartMonth' | 'locale'>;

function itemLine(org: ReminderOrg, item: DueItem): string {
  const period = periodLabel(item.periodStart, item.cadence, org.fyStartMonth, org.locale);
  return item.stage === 'due'
    ? `${period}, was due ${formatDay(item.dueDate, org.locale)}`
    : `${period}, due ${formatDay(item.dueDate, org.locale)}`;
}

function plural(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** One draft per person listing everything due for them on `date`. */
export function draftReminders(org: JobOrg, date: string, items: readonly DueItem[]) {
  return groupByRecipient(items).map(({ userId, items: mine }) => {
    const overdue = mine.filter((i) => i.stage === 'due').length;
    const subject =
      overdue > 0
        ? `Check-in overdue: ${plural(mine.length, 'KPI needs', 'KPIs need')} a value`
        : `Check-in reminder: ${plural(mine.length, 'KPI needs', 'KPIs need')} a value`;
    const body = mine.map((i) => `${i.kpiName} (${itemLine(org, i)})`).join('; ');
    const draft: NotificationDraft = {
      recipientUserId: userId,
      kind: KIND,
      dedupKey: reminderDedupKey(date),
      subject,
      body,
      link:
        mine.length === 1 && mine[0]!.stage === 'due'
          ? appPaths.kpi(org.slug, mine[0]!.kpiId)
          : appPaths.checkins(org.slug),
      kpiId: mine.length === 1 ? mine[0]!.kpiId : null,
      scope: `reminders:${date}`,
      items: mine.map((i) => ({ kpiId: i.kpiId, periodStart: i.periodStart })),
    };
    return { draft, items: mine };
  });
}

/** The e-mail of one person's reminder. */
export function renderReminderMail(
  org: ReminderOrg,
  config: NotifyConfig,
  draft: NotificationDraft,
  items: readonly DueItem[],
  recipient: { name: string },
): DraftMail {
  const links = unsubscribeLinks(config, {
    orgId: org.id,
    userId: draft.recipientUserId,
    kind: KIND,
  });
  const toItem = (i: DueItem) => ({
    label: i.kpiName,
    detail: itemLine(org, i),
    url: absoluteUrl(config, appPaths.kpi(org.slug, i.kpiId)),
  });
  const overdue = items.filter((i) => i.stage === 'due');
  const soon = items.filter((i) => i.stage === 'before');
  const rendered = renderNotificationMail({
    orgName: org.name,
    timeZone: org.timeZone,
    recipientName: recipient.name,
    subject: draft.subject,
    intro:
      'These KPIs you own have no value yet for their period. Record them on the check-in screen; ' +
      'an overdue value goes on its KPI page, dated inside its period.',
    sections: [
      ...(overdue.length > 0 ? [{ heading: 'Overdue', items: overdue.map(toItem) }] : []),
      ...(soon.length > 0 ? [{ heading: 'Due soon', items: soon.map(toItem) }] : []),
    ],
    action: { label: 'Open your check-ins', url: absoluteUrl(config, appPaths.checkins(org.slug)) },
    unsubscribeUrl: links.page,
    preferencesUrl: absoluteUrl(config, appPaths.notifications(org.slug)),
  });
  return { ...rendered, unsubscribeUrl: links.oneClick };
}

/**
 * Creates the check-in reminders due at `now` in every organization (each at 09:00 of its own
 * time zone, catching up later that local day). Returns how many notifications were new.
 */
export async function createDueCheckinReminders(
  now: Date,
  config: NotifyConfig,
  scope?: JobOrgScope,
): Promise<{ created: number }> {
  return sweepOrganizationsAtReminderHour(now, config, scope, async (org, date, create) => {
    const slots = reminderSlotsOn(date, org.fyStartMonth, {
      daysBefore: org.reminderDaysBefore,
      graceDays: org.reminderGraceDays,
    });
    if (slots.length === 0) return 0;
    const itemsByRecipient = new Map<string, DueItem[]>();
    return recordDueReminders(org.id, slots, {
      ...create,
      draft: (items) =>
        draftReminders(org, date, items).map(({ draft, items: mine }) => {
          itemsByRecipient.set(draft.recipientUserId, mine);
          return draft;
        }),
      renderMail: (draft, recipient) =>
        renderReminderMail(
          org,
          config,
          draft,
          itemsByRecipient.get(draft.recipientUserId) ?? [],
          recipient,
        ),
    });
  });
}
