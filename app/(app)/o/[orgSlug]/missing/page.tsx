import type { Metadata } from 'next';
import { WorkspaceLink } from '@/components/layout/workspace-link';
import { notFound } from 'next/navigation';
import { RemindButton } from '@/components/notifications/remind-button';
import { can } from '@/lib/authz/can';
import {
  listMissingValuesForActor,
  type MissingValueRow,
} from '@/lib/dal/notifications/missing-list';
import { formatDay, todayInTimeZone } from '@/lib/domain/dates';
import { overdueLabel } from '@/lib/domain/missing-values';
import { periodLabel } from '@/lib/domain/periods';
import { requireOrgPage } from '@/lib/server/page-context';

export const metadata: Metadata = { title: 'Missing values' };

/** A nudge lists at most this many values (the action's limit). */
const REMIND_MAX_ITEMS = 100;

function Notices({
  item,
  timeZone,
  locale,
}: {
  item: MissingValueRow;
  timeZone: string;
  locale: string;
}) {
  const day = (iso: string) =>
    formatDay(todayInTimeZone(timeZone, new Date(iso)), locale, { year: false });
  const notes = [
    item.remindedAt ? `Reminded ${day(item.remindedAt)}` : null,
    item.nudgedAt ? `Nudged ${day(item.nudgedAt)}` : null,
    item.escalatedAt ? `Escalated ${day(item.escalatedAt)}` : null,
  ].filter((n): n is string => n !== null);
  if (notes.length === 0) return <span className="text-gray-500">Not reminded yet</span>;
  return <span className="text-gray-700">{notes.join(' · ')}</span>;
}

/**
 * Who has not reported what (owners and admins: everyone; unit leads: their area): each owned KPI
 * recorded by hand without a value for the period that just closed or the open one once its
 * reminder has gone, by person, with due date, days overdue, what reminders, nudges and
 * escalations went out, and "remind".
 */
export default async function MissingValuesPage({
  params,
}: {
  params: Promise<{ orgSlug: string }>;
}) {
  const { orgSlug } = await params;
  const ctx = await requireOrgPage(orgSlug);
  if (!can(ctx, 'checkins.remind') && ctx.actor.ledUnitIds.length === 0) notFound();
  const list = await listMissingValuesForActor(ctx, new Date());
  const tz = ctx.org.timeZone;
  const fy = ctx.org.fyStartMonth;
  const seesAll = can(ctx, 'checkins.remind');

  return (
    <div className="mx-auto max-w-4xl space-y-6">
      <div>
        <h1 className="text-2xl font-semibold">Missing values</h1>
        <p className="mt-1 text-sm text-gray-600">
          {seesAll ? 'Everyone in ' + ctx.org.name : 'People in the area you lead'} with KPIs they
          record by hand and no value for the period that just closed, or for the open one once its
          reminder has gone (today is {formatDay(list.today, ctx.org.locale)} in {tz}). Reminders,
          nudges and escalations already sent are noted; “Remind” sends one nudge now, once a day
          per value.
        </p>
      </div>

      {list.people.length === 0 ? (
        <p className="rounded-xl border border-gray-200 bg-white px-4 py-6 text-sm text-gray-600 shadow-sm">
          Nothing missing. Everyone has reported.
        </p>
      ) : (
        <>
          <p className="text-sm text-gray-700" data-testid="missing-count">
            <span className="font-medium tabular-nums">{list.total}</span> missing{' '}
            {list.total === 1 ? 'value' : 'values'} from{' '}
            <span className="tabular-nums">{list.people.length}</span>{' '}
            {list.people.length === 1 ? 'person' : 'people'}
            {list.truncated
              ? ` (the ${list.people.reduce((n, p) => n + p.items.length, 0)} most overdue shown)`
              : ''}
            .
          </p>
          <ul className="space-y-4" aria-label="Missing values by person">
            {list.people.map((person) => (
              <li
                key={person.userId}
                data-testid="missing-person"
                className="rounded-xl border border-gray-200 bg-white shadow-sm"
              >
                <div className="flex flex-wrap items-center justify-between gap-2 border-b border-gray-200 px-4 py-3">
                  <div className="min-w-0">
                    <h2 className="font-semibold text-gray-900">{person.name}</h2>
                    <p className="text-xs text-gray-500">
                      {person.homeUnitName} · {person.items.length} missing
                    </p>
                  </div>
                  <RemindButton
                    orgSlug={ctx.org.slug}
                    ownerName={person.name}
                    input={{
                      ownerUserId: person.userId,
                      items: person.items
                        .slice(0, REMIND_MAX_ITEMS)
                        .map((i) => ({ kpiId: i.kpiId, periodStart: i.periodStart })),
                    }}
                  />
                </div>
                <ul className="divide-y divide-gray-100">
                  {person.items.map((item) => (
                    <li
                      key={`${item.kpiId}:${item.periodStart}`}
                      className="grid gap-1 px-4 py-2 text-sm sm:grid-cols-[1fr_auto] sm:gap-4"
                    >
                      <div className="min-w-0">
                        <WorkspaceLink
                          href={`/o/${ctx.org.slug}/kpis/${item.kpiId}`}
                          className="font-medium text-gray-900 hover:text-indigo-700"
                        >
                          {item.kpiName}
                        </WorkspaceLink>
                        <p className="text-xs text-gray-500">
                          {item.unitName} ·{' '}
                          {periodLabel(item.periodStart, item.cadence, fy, ctx.org.locale)} · due{' '}
                          {formatDay(item.dueDate, ctx.org.locale)}
                        </p>
                      </div>
                      <div className="text-xs sm:text-right">
                        <p
                          className={
                            item.daysOverdue > 0 ? 'font-medium text-red-700' : 'text-gray-700'
                          }
                        >
                          {overdueLabel(item.daysOverdue)}
                        </p>
                        <p>
                          <Notices item={item} timeZone={tz} locale={ctx.org.locale} />
                        </p>
                      </div>
                    </li>
                  ))}
                </ul>
              </li>
            ))}
          </ul>
        </>
      )}
    </div>
  );
}
