import { createNotificationsInOrg, type NotificationDraft } from '@/lib/dal/notifications/create';
import {
  isDigestWeekSettled,
  loadDigestInputs,
  settleDigestWeek,
  type DigestInputs,
  type DigestStatusChange,
} from '@/lib/dal/notifications/digests';
import { getJobOrgContext } from '@/lib/dal/notifications/job-context';
import {
  listOrganizationsForJobs,
  type JobOrg,
  type JobOrgScope,
} from '@/lib/dal/notifications/job-orgs';
import { getReport, reportRows } from '@/lib/dal/reports/report';
import { lastCompletePeriod, openPeriod } from '@/lib/domain/dashboard/periods';
import { formatDay, todayInTimeZone } from '@/lib/domain/dates';
import {
  digestDateAt,
  digestDedupKey,
  digestForScope,
  formatRelativeChange,
  isEmptyDigest,
  isoWeekKey,
  type Mover,
  type MoverCandidate,
} from '@/lib/domain/digest';
import { formatValue } from '@/lib/domain/format';
import type { MailItem } from '@/lib/mail/notification-mail';
import type { NotifyConfig } from './config';
import { absoluteUrl, appPaths, messageIdHost } from './links';
import { renderDraftMail } from './render-mail';

/*
 * Weekly digests (issue 19, item 5): on Monday from 09:00 in the organization's time zone, each
 * owner, admin and unit lead gets one message about their scope (the organization, or the
 * subtrees they lead): the week's status crossings (the off-track alerts and recoveries), the
 * values missing for the last complete month, and the biggest movers of the open month against
 * the previous one to the same day (the period report's like-for-like change). Team KPIs only,
 * like share links. Nothing to say: no message. Idempotent by `digest:<ISO week>` per person.
 */

const KIND = 'weekly_digest' as const;
const WEEK_MS = 7 * 24 * 3600_000;

type Missing = { kpiId: string; unitId: string; name: string; periodLabel: string };
type Digest = { statusChanges: DigestStatusChange[]; missing: Missing[]; movers: Mover[] };

function plural(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

function subjectOf(d: Digest): string {
  const parts = [
    d.statusChanges.length ? plural(d.statusChanges.length, 'status change', 'status changes') : '',
    d.missing.length ? plural(d.missing.length, 'missing value', 'missing values') : '',
    d.movers.length ? plural(d.movers.length, 'mover', 'movers') : '',
  ].filter(Boolean);
  return `Weekly digest: ${parts.join(', ')}`;
}

/** Everything each digest of the organization draws from: its reports at `date`. */
async function digestSources(org: JobOrg, date: string, teamKpis: DigestInputs['teamKpis']) {
  const ctx = await getJobOrgContext(org);
  if (!ctx) return null;
  const read = (period: ReturnType<typeof openPeriod>) =>
    // The numbers and the change alone: no six-period trend.
    getReport(ctx, {
      scope: 'company',
      period,
      includeIndividual: false,
      today: date,
      trendPeriods: 2,
    });
  const open = await read(openPeriod('month', org, date));
  const last = await read(lastCompletePeriod('month', org, date));
  const rows = reportRows(open).map((r) => r.row);
  const measures = new Map(rows.map((r) => [r.kpiId, r.measure]));
  const movers = rows.flatMap((r): MoverCandidate[] => {
    const unitId = teamKpis.get(r.kpiId)?.unitId;
    // Like for like only: KPIs of the report's own cadence (a quarter to date is not a month).
    if (!unitId || r.periodLabel !== open.period.label || !r.previous) return [];
    return [
      {
        kpiId: r.kpiId,
        name: r.name,
        unitId,
        value: r.value,
        previous: r.previous.value,
        previousLabel: r.previous.label,
      },
    ];
  });
  const missing = last.summary.withoutValue.flatMap((ref): Missing[] => {
    const kpi = teamKpis.get(ref.kpiId);
    // A KPI created after the month ended was never due for it.
    return kpi && kpi.createdOn <= last.period.asOf
      ? [{ ...ref, unitId: kpi.unitId, periodLabel: last.period.label }]
      : [];
  });
  return { movers, missing, measures, openLabel: open.period.label };
}

/**
 * Creates the weekly digests due at `now` in every organization. The job runs every quarter
 * hour: an organization's reports are read once a week, on the first run of its digest day, and
 * the week is then marked settled (settleDigestWeek), so the later runs of the day cost one
 * small read (they used to read two company reports again for whoever had an empty digest: on
 * the large synthetic organization, 7-10 s of CPU and a few hundred MB every quarter hour).
 * `settled`: the organizations whose week this run settled.
 */
export async function createWeeklyDigests(
  now: Date,
  config: NotifyConfig,
  scope?: JobOrgScope,
): Promise<{ created: number; settled: number }> {
  const result = { created: 0, settled: 0 };
  for (const org of await listOrganizationsForJobs(scope)) {
    const date = digestDateAt(now, org.timeZone);
    if (!date) continue;
    const week = isoWeekKey(date);
    if (await isDigestWeekSettled(org.id, week)) continue;
    const created = await createOrgDigests(org, date, now, config);
    if (created === null) continue;
    result.settled += 1;
    result.created += created;
    await settleDigestWeek(org.id, week);
  }
  return result;
}

/**
 * The digests due on `date` in one organization: how many were created, or null when nothing
 * could be weighed (no job context: the next run tries again).
 */
async function createOrgDigests(
  org: JobOrg,
  date: string,
  now: Date,
  config: NotifyConfig,
): Promise<number | null> {
  const dedupKey = digestDedupKey(date);
  const since = new Date(now.getTime() - WEEK_MS);
  const inputs = await loadDigestInputs(org.id, { since, now, dedupKey });
  if (inputs.recipients.length === 0) return 0;
  const sources = await digestSources(org, date, inputs.teamKpis);
  if (!sources) return null;
  const digests = new Map<string, Digest>();
  for (const r of inputs.recipients) {
    const d = digestForScope(r.scope, {
      statusChanges: inputs.statusChanges,
      missing: sources.missing,
      movers: sources.movers,
    });
    if (!isEmptyDigest(d)) digests.set(r.userId, d);
  }
  if (digests.size === 0) return 0;
  const kpiUrl = (kpiId: string) => absoluteUrl(config, appPaths.kpi(org.slug, kpiId));
  const moverDetail = (m: Mover) => {
    const measure = sources.measures.get(m.kpiId);
    const shown = (v: string) => (measure ? formatValue(v, measure, org.locale) : v);
    return `${formatRelativeChange(m.relativeChange, org.locale)}: ${shown(m.value)} in ${sources.openLabel} so far, ${shown(m.previous)} in ${m.previousLabel}`;
  };
  const changeDetail = (c: DigestStatusChange) =>
    `on ${formatDay(todayInTimeZone(org.timeZone, c.at), org.locale)}`;
  const drafts = [...digests.entries()].map(([userId, d]): NotificationDraft => ({
    recipientUserId: userId,
    kind: KIND,
    dedupKey,
    subject: subjectOf(d),
    body: [
      ...d.statusChanges.map((c) => c.subject),
      ...d.missing.map((m) => `${m.name}: no value for ${m.periodLabel}`),
      ...d.movers.map((m) => `${m.name} ${formatRelativeChange(m.relativeChange, org.locale)}`),
    ].join('; '),
    link: `/o/${org.slug}`,
    kpiId: null,
    scope: `week:${isoWeekKey(date)}`,
  }));
  const scopeOf = new Map(inputs.recipients.map((r) => [r.userId, r.scope]));
  return createNotificationsInOrg(org.id, drafts, {
    now,
    smtpConfigured: Boolean(config.smtpUrl),
    messageIdHost: messageIdHost(config),
    renderMail: (draft, recipient) => {
      const d = digests.get(draft.recipientUserId)!;
      const section = (heading: string, items: MailItem[]) =>
        items.length ? [{ heading, items }] : [];
      return renderDraftMail(config, org, draft, recipient, {
        intro: `What changed ${scopeOf.get(draft.recipientUserId) === null ? 'in the organization' : 'in the area you lead'} in the week to ${formatDay(date, org.locale)}.`,
        sections: [
          ...section(
            'Status changes',
            d.statusChanges.map((c) => ({
              label: c.subject,
              detail: changeDetail(c),
              url: kpiUrl(c.kpiId),
            })),
          ),
          ...section(
            'Missing values',
            d.missing.map((m) => ({
              label: m.name,
              detail: `no value for ${m.periodLabel}`,
              url: kpiUrl(m.kpiId),
            })),
          ),
          ...section(
            'Biggest movers',
            d.movers.map((m) => ({
              label: m.name,
              detail: moverDetail(m),
              url: kpiUrl(m.kpiId),
            })),
          ),
        ],
        action: { label: 'Open the dashboard', url: absoluteUrl(config, `/o/${org.slug}`) },
      });
    },
  });
}
