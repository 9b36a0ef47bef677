import { createHash } from 'node:crypto';
import type { NotificationDraft } from '@/lib/dal/notifications/create';
import { recordNudge, type NudgeItem, type NudgeOutcome } from '@/lib/dal/notifications/nudges';
import { NUDGE_KEY_PREFIX } from '@/lib/domain/missing-values';
import type { DueItem } from '@/lib/domain/reminders';
import type { OrgContext } from '@/lib/server/org-context';
import type { RemindOwnerInput } from '@/lib/validation/notifications';
import { renderReminderMail } from './checkin-reminders';
import type { NotifyConfig } from './config';
import { appPaths, messageIdHost } from './links';

/*
 * "Remind" now (issue 19, item 3): one nudge to one person, of the reminders' kind and template
 * (their e-mail preference and unsubscribe link apply). Idempotent by the key
 * `nudge:<local date>:<hash of its (KPI, period) items>` per person, and by the per-item rule
 * in recordNudge (one nudge per KPI, period and local day; nothing the scheduled reminder listed
 * today). The mail goes out with the next delivery run (a minute at most with a worker).
 */

/** The key of one nudge: its local date and exactly what it lists. */
export function nudgeDedupKey(date: string, items: readonly NudgeItem[]): string {
  const list = items
    .map((i) => `${i.kpiId}@${i.periodStart}`)
    .sort()
    .join(',');
  const hash = createHash('sha256').update(list).digest('hex').slice(0, 32);
  return `${NUDGE_KEY_PREFIX}${date}:${hash}`;
}

function toDueItems(ownerUserId: string, today: string, items: readonly NudgeItem[]): DueItem[] {
  return items.map((i) => ({
    ownerUserId,
    kpiId: i.kpiId,
    kpiName: i.kpiName,
    stage: today > i.lastDay ? 'due' : 'before',
    cadence: i.cadence,
    periodStart: i.periodStart,
    lastDay: i.lastDay,
    dueDate: i.dueDate,
  }));
}

/**
 * Sends one nudge now from the acting person (see recordNudge for who may remind whom and the
 * deduplication). Tenant: ctx.org, in a transaction of its own.
 */
export async function remindOwner(
  ctx: OrgContext,
  input: RemindOwnerInput,
  opts: { now: Date; config: NotifyConfig },
): Promise<NudgeOutcome> {
  let due: DueItem[] = [];
  return recordNudge(ctx, input, {
    now: opts.now,
    smtpConfigured: Boolean(opts.config.smtpUrl),
    messageIdHost: messageIdHost(opts.config),
    draft: (owner, today, items): NotificationDraft => {
      due = toDueItems(owner.userId, today, items);
      const n = items.length;
      return {
        recipientUserId: owner.userId,
        kind: 'checkin_reminder',
        dedupKey: nudgeDedupKey(today, items),
        subject: `Reminder from ${ctx.user.name}: ${n} ${n === 1 ? 'KPI needs' : 'KPIs need'} a value`,
        body: items.map((i) => i.kpiName).join('; '),
        link:
          n === 1 ? appPaths.kpi(ctx.org.slug, items[0]!.kpiId) : appPaths.checkins(ctx.org.slug),
        kpiId: n === 1 ? items[0]!.kpiId : null,
        scope: `nudge:${today}`,
        items: items.map((i) => ({ kpiId: i.kpiId, periodStart: i.periodStart })),
      };
    },
    renderMail: (draft, recipient) =>
      renderReminderMail(ctx.org, opts.config, draft, due, recipient),
  });
}

/** At most this many nudges an hour per person sending them, in one organization. */
export const NUDGES_PER_ACTOR = { limit: 30, windowSeconds: 60 * 60 };

/** What the person who clicked "remind" reads. */
export function nudgeMessage(outcome: NudgeOutcome): string {
  const name = outcome.owner.name;
  const kpisOf = (n: number) => `${n} KPI${n === 1 ? '' : 's'}`;
  switch (outcome.status) {
    case 'sent':
      return (
        `Reminder sent to ${name} about ${kpisOf(outcome.items.length)}.` +
        (outcome.alreadyReminded > 0
          ? ` ${kpisOf(outcome.alreadyReminded)} left out: reminded today already.`
          : '')
      );
    case 'already_reminded':
      return `${name} got today's scheduled reminder about ${outcome.count === 1 ? 'this KPI' : 'these KPIs'}: nothing sent again.`;
    case 'nothing_missing':
      return `${name} has no value missing there any more: nothing to remind.`;
  }
}
