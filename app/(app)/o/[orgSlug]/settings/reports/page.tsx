import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { can } from '@/lib/authz/can';
import { listReportScopes } from '@/lib/dal/reports/report';
import { listReportSchedules } from '@/lib/dal/reports/schedules';
import { REMINDER_LOCAL_HOUR } from '@/lib/domain/reminders';
import { requireOrgPage } from '@/lib/server/page-context';
import { SettingsSubpageHeader } from '../_components/settings-subpage-header';
import { DeleteScheduleButton } from './_components/delete-schedule-button';
import { ReportScheduleForm } from './_components/report-schedule-form';

export const metadata: Metadata = { title: 'Scheduled reports' };

/**
 * Scheduled reports (owners and admins): the period report of a scope e-mailed with its PDF to
 * chosen members, weekly or monthly; list, create, delete.
 */
export default async function ScheduledReportsPage({
  params,
}: {
  params: Promise<{ orgSlug: string }>;
}) {
  const { orgSlug } = await params;
  const ctx = await requireOrgPage(orgSlug);
  if (!can(ctx, 'reports.schedule')) notFound();
  const [schedules, scopes] = await Promise.all([listReportSchedules(ctx), listReportScopes(ctx)]);
  const hour = `${String(REMINDER_LOCAL_HOUR).padStart(2, '0')}:00`;

  return (
    <div className="mx-auto max-w-3xl space-y-6">
      <SettingsSubpageHeader orgSlug={ctx.org.slug} title="Scheduled reports">
        The period report of the company or a unit, e-mailed with its PDF at {hour}{' '}
        {ctx.org.timeZone} on the chosen day. Team KPIs only: individual targets stay in the app. A
        member who leaves stops receiving it.
      </SettingsSubpageHeader>

      <section
        aria-labelledby="schedules-heading"
        className="rounded-xl border border-gray-200 bg-white shadow-sm"
      >
        <h2 id="schedules-heading" className="border-b border-gray-200 px-4 py-3 font-semibold">
          Schedules
        </h2>
        {schedules.length === 0 ? (
          <p className="p-4 text-sm text-gray-600">No report is scheduled yet.</p>
        ) : (
          <ul className="divide-y divide-gray-100">
            {schedules.map((s) => (
              <li
                key={s.id}
                data-testid="report-schedule"
                className="flex flex-wrap items-center gap-3 px-4 py-3"
              >
                <div className="min-w-0 flex-1">
                  <p className="text-sm font-medium text-gray-900">
                    {s.scopeName} · {s.when}
                  </p>
                  <p className="break-words text-xs text-gray-500">
                    To {s.recipients.map((r) => r.name).join(', ') || 'nobody (its members left)'}
                  </p>
                </div>
                <DeleteScheduleButton
                  orgSlug={ctx.org.slug}
                  scheduleId={s.id}
                  label={`${s.scopeName} · ${s.when}`}
                />
              </li>
            ))}
          </ul>
        )}
      </section>

      <section
        aria-labelledby="new-schedule-heading"
        className="rounded-xl border border-gray-200 bg-white shadow-sm"
      >
        <h2 id="new-schedule-heading" className="border-b border-gray-200 px-4 py-3 font-semibold">
          Schedule a report
        </h2>
        <div className="p-4">
          <ReportScheduleForm
            orgSlug={ctx.org.slug}
            scopes={scopes.map((s) => ({
              key: s.key,
              label: `${'\u2003'.repeat(s.depth)}${s.name}`,
            }))}
          />
        </div>
      </section>
    </div>
  );
}
