import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { ClientLinks } from '@/components/dashboards/client-links';
import { PeriodNotice } from '@/components/layout/period-notice';
import { ReportView } from '@/components/reports/report-view';
import { GetForm } from '@/components/ui/get-form';
import { can } from '@/lib/authz/can';
import { getReport, listReportPeriods, listReportScopes } from '@/lib/dal/reports/report';
import { listReportShares } from '@/lib/dal/reports/shares';
import { COMPANY_SCOPE, parseReportView, reportViewQuery } from '@/lib/domain/view-params/report';
import { AppError } from '@/lib/errors';
import { requireOrgPage } from '@/lib/server/page-context';
import { PrintButton } from './_components/print-button';
import { SharePanel } from './_components/share-panel';

export const metadata: Metadata = { title: 'Reports' };

const GROUPS = [
  { cadence: 'month', label: 'Months' },
  { cadence: 'quarter', label: 'Quarters' },
  { cadence: 'year', label: 'Years' },
] as const;

const selectClass =
  'rounded-md border border-gray-300 bg-white py-1.5 pl-3 pr-8 text-sm shadow-sm focus:border-indigo-500 focus:outline-none focus:ring-2 focus:ring-indigo-500';

export default async function ReportsPage({
  params,
  searchParams,
}: {
  params: Promise<{ orgSlug: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const [{ orgSlug }, query] = await Promise.all([params, searchParams]);
  const ctx = await requireOrgPage(orgSlug);
  // The view is in the URL (scope and period); a bad part falls back to its default with a notice.
  const view = parseReportView(query, ctx.org);
  const { period } = view;
  const reportOf = (scope: string) => getReport(ctx, { scope, period });
  // A unit that is not one of this organization's (or no longer exists) reads as the company,
  // exactly as a malformed scope does: nothing tells another organization's id apart.
  const shown = reportOf(view.scope).then(
    (report) => ({ report, scopeRefused: view.refused.scope }),
    (error: unknown) => {
      if (error instanceof AppError && error.code === 'NOT_FOUND' && view.scope !== COMPANY_SCOPE)
        return reportOf(COMPANY_SCOPE).then((report) => ({ report, scopeRefused: true }));
      throw error;
    },
  );
  const [{ report, scopeRefused }, scopes, shares] = await Promise.all([
    shown,
    listReportScopes(ctx),
    listReportShares(ctx),
  ]).catch((error: unknown) => {
    if (error instanceof AppError && error.code === 'NOT_FOUND') notFound();
    throw error;
  });
  const periods = listReportPeriods(ctx);
  const download = (kind: 'pdf' | 'csv') =>
    `/api/o/${ctx.org.slug}/reports/${kind}${reportViewQuery({ scope: report.scope.key, period: period.key })}`;

  return (
    <div className="space-y-6">
      {view.refused.period ? <PeriodNotice label={period.label} /> : null}
      {scopeRefused ? (
        <p
          role="status"
          data-testid="scope-notice"
          className="rounded-md border border-amber-200 bg-amber-50 px-3 py-2 text-sm text-amber-900"
        >
          The scope in this link cannot be shown (it is not a unit of this organization you can
          see), so this shows the whole company.
        </p>
      ) : null}
      <div className="no-print flex flex-wrap items-end justify-between gap-4 rounded-xl border border-gray-200 bg-white p-4 shadow-sm">
        <GetForm className="flex flex-wrap items-end gap-3" aria-label="Report options">
          <label className="flex flex-col gap-1 text-sm font-medium text-gray-700">
            Scope
            <select name="scope" defaultValue={report.scope.key} className={selectClass}>
              {scopes.map((s) => (
                <option key={s.key} value={s.key}>
                  {'\u00a0\u00a0'.repeat(s.depth)}
                  {s.kind === 'company' ? `${s.name} (whole company)` : s.name}
                </option>
              ))}
            </select>
          </label>
          <label className="flex flex-col gap-1 text-sm font-medium text-gray-700">
            Period
            <select name="period" defaultValue={period.key} className={selectClass}>
              {GROUPS.map((group) => (
                <optgroup key={group.cadence} label={group.label}>
                  {periods
                    .filter((o) => o.cadence === group.cadence)
                    .map((o) => (
                      <option key={o.key} value={o.key}>
                        {o.label}
                        {o.isCurrent ? ' (so far)' : ''}
                      </option>
                    ))}
                </optgroup>
              ))}
            </select>
          </label>
          <button
            type="submit"
            className="rounded-md bg-indigo-600 px-4 py-2 text-sm font-medium text-white shadow-sm hover:bg-indigo-700"
          >
            Show report
          </button>
        </GetForm>
        <div className="flex flex-wrap gap-2">
          <PrintButton />
          <a
            href={download('pdf')}
            className="inline-flex items-center rounded-md border border-gray-300 bg-white px-4 py-2 text-sm font-medium text-gray-800 shadow-sm hover:bg-gray-50"
          >
            Download PDF
          </a>
          <a
            href={download('csv')}
            className="inline-flex items-center rounded-md border border-gray-300 bg-white px-4 py-2 text-sm font-medium text-gray-800 shadow-sm hover:bg-gray-50"
          >
            Download CSV
          </a>
        </div>
      </div>

      {/* The tables' KPI links are plain <a>s (one string of markup): routed in place. */}
      <ClientLinks>
        <ReportView
          report={report}
          orgSlug={ctx.org.slug}
          remind={can(ctx, 'checkins.remind') || ctx.actor.ledUnitIds.length > 0}
        />
      </ClientLinks>

      {can(ctx, 'reports.share') ? (
        <SharePanel
          orgSlug={ctx.org.slug}
          scope={report.scope.key}
          period={period.key}
          shares={shares}
        />
      ) : null}
    </div>
  );
}
