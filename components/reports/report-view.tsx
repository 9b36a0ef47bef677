import { WorkspaceLink } from '@/components/layout/workspace-link';
import type { ReactNode } from 'react';
import { ProgressBar } from '@/components/kpis/progress-bar';
import { StatusBadge, StatusIcon } from '@/components/kpis/status-badge';
import { projectionPhrase } from '@/lib/domain/forecast/projection-text';
import type { Status } from '@/lib/domain/progress';
import type { Report, ReportRef, ReportRow } from '@/lib/dal/reports/types';
import { formatValue } from '@/lib/domain/format';
import { formatDay } from '@/lib/domain/dates';
import { DEFAULT_ORG_LOCALE } from '@/lib/domain/org-settings';
import { comparedWith, signedChange } from '@/lib/domain/report';
import { RemindButton } from '@/components/notifications/remind-button';
import { StaticSection } from '@/components/dashboards/cached-section';
import { Sparkline } from './sparkline';

/**
 * The period report as the page, the print layout and the share link show it. Server-rendered
 * from a Report (live or a frozen snapshot); `orgSlug` turns KPI names into links inside the app
 * (plain `<a>`s in the tables' markup: the page routes them with ClientLinks) and is left out on
 * the public share page, which links nowhere.
 */
export function ReportView({
  report,
  orgSlug,
  remind = false,
}: {
  report: Report;
  orgSlug?: string;
  /** Inside the app, for someone who may remind: "remind" on the not-reported list. */
  remind?: boolean;
}) {
  const c = report.summary.counts;
  const locale = report.org.locale ?? DEFAULT_ORG_LOCALE;
  return (
    <article className="report space-y-6" aria-labelledby="report-title">
      <header className="space-y-1">
        <p className="text-xs font-semibold uppercase tracking-wide text-indigo-600">
          {report.org.name}
        </p>
        <h1 id="report-title" className="text-2xl font-semibold text-gray-900">
          {report.scope.name} report · {report.period.label}
        </h1>
        <p className="text-sm text-gray-600">
          {report.period.isCurrent
            ? `Period in progress, as of ${formatDay(report.period.asOf, locale)}`
            : `Closed period, as of ${formatDay(report.period.asOf, locale)}`}{' '}
          · change vs {comparedWith(report)} · generated{' '}
          {report.generatedAt.slice(0, 16).replace('T', ' ')} UTC
        </p>
      </header>

      <section
        aria-labelledby="report-summary"
        className="report-avoid-break rounded-xl border border-gray-200 bg-white p-4 shadow-sm"
      >
        <h2 id="report-summary" className="font-semibold text-gray-900">
          Summary
        </h2>
        <dl className="mt-3 grid grid-cols-2 gap-3 sm:grid-cols-5">
          <Count label="KPIs" value={c.total} tone="text-gray-900" />
          <Count label="On track" value={c.on_track} tone="text-emerald-700" status="on_track" />
          <Count label="At risk" value={c.at_risk} tone="text-amber-700" status="at_risk" />
          <Count label="Off track" value={c.off_track} tone="text-red-700" status="off_track" />
          {/* Snapshots shared before statuses had `in_progress` have no such count. */}
          {c.in_progress ? (
            <Count
              label="In progress"
              value={c.in_progress}
              tone="text-sky-700"
              status="in_progress"
            />
          ) : null}
          <Count label="No data" value={c.no_data} tone="text-gray-600" status="no_data" />
        </dl>
        <div className="mt-4 grid gap-4 text-sm sm:grid-cols-2">
          <RefList
            title={`Turned red since ${comparedWith(report)}`}
            refs={report.summary.turnedRed}
          />
          <RefList
            title={`Turned green since ${comparedWith(report)}`}
            refs={report.summary.turnedGreen}
          />
          <RefList title="Without a value" refs={report.summary.withoutValue} />
          {remind && orgSlug ? (
            <NotReported
              orgSlug={orgSlug}
              on={report.period.asOf}
              refs={report.summary.withoutValue}
            />
          ) : null}
          <RefList title="Without an owner" refs={report.summary.withoutOwner} />
        </div>
      </section>

      {/* The tables, one string of HTML (a large organization's report has 10,000 rows). */}
      <StaticSection className="space-y-6">
        <ReportTables report={report} orgSlug={orgSlug} locale={locale} />
      </StaticSection>
    </article>
  );
}

/**
 * The report's tables: its north stars, then its KPIs by unit and the individual ones. Server
 * markup only (ReportView sends it as one string through StaticSection): links are next/link.
 */
export function ReportTables({
  report,
  orgSlug,
  locale,
}: {
  report: Report;
  orgSlug?: string;
  locale: string;
}) {
  return (
    <>
      {report.northStars.length > 0 ? (
        <ReportTable
          locale={locale}
          id="report-north-stars"
          title={report.northStars.length === 1 ? 'North star' : 'North stars'}
          rows={report.northStars}
          orgSlug={orgSlug}
        />
      ) : null}

      <div className="report-page-break space-y-6">
        <h2 className="text-lg font-semibold text-gray-900">KPIs by unit</h2>
        {report.sections.length === 0 && report.individual.length === 0 ? (
          <p className="text-sm text-gray-600">No KPIs in this scope.</p>
        ) : null}
        {report.sections.map((s) => (
          <ReportTable
            locale={locale}
            key={s.unit.id}
            id={`report-unit-${s.unit.id}`}
            title={s.unit.name}
            subtitle={
              s.unit.kind === 'company'
                ? 'Company'
                : s.unit.kind === 'department'
                  ? 'Department'
                  : 'Team'
            }
            rows={s.rows}
            orgSlug={orgSlug}
          />
        ))}
        {report.individual.length > 0 ? (
          <ReportTable
            locale={locale}
            id="report-individual"
            title="Individual KPIs"
            rows={report.individual}
            orgSlug={orgSlug}
          />
        ) : null}
      </div>
    </>
  );
}

/** A count by status, its label led by the status's icon (the colour is never the only cue). */
function Count({
  label,
  value,
  tone,
  status,
}: {
  label: string;
  value: number;
  tone: string;
  status?: Status;
}) {
  return (
    <div className="rounded-lg bg-gray-50 px-3 py-2">
      <dt className="flex items-center gap-1 text-xs font-medium uppercase tracking-wide text-gray-500">
        {status ? <StatusIcon status={status} className="h-3 w-3" /> : null}
        {label}
      </dt>
      <dd className={`text-xl font-semibold tabular-nums ${tone}`}>{value}</dd>
    </div>
  );
}

function RefList({ title, refs }: { title: string; refs: ReportRef[] }) {
  return (
    <div>
      <h3 className="font-medium text-gray-900">
        {title} <span className="font-normal text-gray-500">({refs.length})</span>
      </h3>
      {refs.length === 0 ? (
        <p className="text-gray-500">None.</p>
      ) : (
        <ul className="mt-1 space-y-0.5 text-gray-700">
          {refs.map((r) => (
            <li key={r.kpiId}>
              {r.name} <span className="text-gray-500">· {r.unitName}</span>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

/**
 * The people behind the missing values (owned KPIs recorded by hand), each with "remind": one
 * nudge about their values still missing in the report's period.
 */
function NotReported({ orgSlug, on, refs }: { orgSlug: string; on: string; refs: ReportRef[] }) {
  const owners = new Map<string, { name: string; kpis: string[] }>();
  for (const r of refs) {
    if (!r.owner) continue;
    const entry = owners.get(r.owner.userId) ?? { name: r.owner.name, kpis: [] };
    entry.kpis.push(r.name);
    owners.set(r.owner.userId, entry);
  }
  if (owners.size === 0) return null;
  return (
    <div className="no-print sm:col-span-2">
      <h3 className="font-medium text-gray-900">
        Not reported yet <span className="font-normal text-gray-500">({owners.size})</span>
      </h3>
      <ul className="mt-1 divide-y divide-gray-100" aria-label="Not reported yet">
        {[...owners.entries()].map(([userId, o]) => (
          <li
            key={userId}
            data-testid="report-not-reported"
            className="flex flex-wrap items-center justify-between gap-2 py-1.5"
          >
            <span className="min-w-0 text-gray-700">
              <span className="font-medium text-gray-900">{o.name}</span>{' '}
              <span className="text-gray-500">· {o.kpis.join(', ')}</span>
            </span>
            <RemindButton
              orgSlug={orgSlug}
              ownerName={o.name}
              input={{ ownerUserId: userId, on }}
            />
          </li>
        ))}
      </ul>
    </div>
  );
}

/** Column widths (the KPI's name gets less room when a "Projected" column joins). */
const WIDTHS = {
  kpi: 'w-[27%]',
  actual: 'w-[12%]',
  target: 'w-[12%]',
  progress: 'w-[13%]',
  status: 'w-[10%]',
  change: 'w-[10%]',
};
const WIDTHS_OPEN = {
  kpi: 'w-[21%]',
  actual: 'w-[10%]',
  target: 'w-[10%]',
  progress: 'w-[11%]',
  status: 'w-[10%]',
  change: 'w-[8%]',
};

/** A row's projected period end: the value, then the projected status in icon and words. */
function Projected({ row, locale }: { row: ReportRow; locale: string }) {
  const p = row.projected;
  if (!p) return <span className="text-xs text-gray-500">No projection</span>;
  const phrase = projectionPhrase(p, locale).replace(/^projected /, '');
  return (
    <div data-testid="report-projected">
      <p className="whitespace-nowrap tabular-nums">{formatValue(p.value, row.measure, locale)}</p>
      <p className="flex items-start gap-1 text-xs text-gray-600">
        <StatusIcon status={p.share === null ? 'no_data' : p.status} className="mt-px h-3 w-3" />
        <span>{phrase}</span>
      </p>
    </div>
  );
}

function ReportTable({
  id,
  title,
  subtitle,
  rows,
  orgSlug,
  locale,
}: {
  id: string;
  title: string;
  subtitle?: string;
  rows: ReportRow[];
  orgSlug?: string;
  /** The organization's locale: numbers and dates are written its way. */
  locale: string;
}) {
  // An open period gets a "Projected" column (a closed one shows nothing projected).
  const open = rows.some((r) => r.projected);
  const w = open ? WIDTHS_OPEN : WIDTHS;
  return (
    <section aria-labelledby={id} className="rounded-xl border border-gray-200 bg-white shadow-sm">
      <div className="flex items-baseline justify-between gap-2 border-b border-gray-200 px-4 py-3">
        <h3 id={id} className="font-semibold text-gray-900">
          {title}
        </h3>
        {subtitle ? <span className="text-xs text-gray-500">{subtitle}</span> : null}
      </div>
      <div className="overflow-x-auto">
        <table className="stack-table w-full min-w-[56rem] table-fixed text-sm">
          <thead className="text-left text-xs uppercase tracking-wide text-gray-500">
            <tr>
              <th scope="col" className={`${w.kpi} px-4 py-2`}>
                KPI
              </th>
              <th scope="col" className={`${w.actual} px-3 py-2 text-right`}>
                Actual
              </th>
              <th scope="col" className={`${w.target} px-3 py-2 text-right`}>
                Target
              </th>
              <th scope="col" className={`${w.progress} px-3 py-2`}>
                % of target
              </th>
              <th scope="col" className={`${w.status} px-3 py-2`}>
                Status
              </th>
              {open ? (
                <th scope="col" className="w-[14%] px-3 py-2">
                  Projected
                </th>
              ) : null}
              <th scope="col" className={`${w.change} px-3 py-2 text-right`}>
                Change
              </th>
              <th scope="col" className="w-[8%] px-3 py-2">
                Trend
              </th>
              <th scope="col" className="w-[8%] px-3 py-2">
                Coverage
              </th>
            </tr>
          </thead>
          {rows.map((row) => (
            <tbody key={row.kpiId} className="report-avoid-break border-t border-gray-100">
              <tr>
                <td className="stack-full px-4 py-2 align-top">
                  <KpiName row={row} orgSlug={orgSlug} />
                  <p className="text-xs text-gray-500">
                    {row.unitName} · {row.ownerName ?? 'No owner'} · {row.periodLabel}
                  </p>
                </td>
                <td
                  data-label="Actual"
                  className="whitespace-nowrap px-3 py-2 text-right align-top tabular-nums"
                >
                  {formatValue(row.value, row.measure, locale)}
                </td>
                <td
                  data-label="Target"
                  className="whitespace-nowrap px-3 py-2 text-right align-top tabular-nums text-gray-600"
                >
                  {formatValue(row.target, row.measure, locale)}
                  {row.targetImplied ? (
                    <span className="block text-[11px] text-gray-500">implied</span>
                  ) : null}
                </td>
                <td data-label="% of target" className="px-3 py-2 align-top">
                  <ProgressBar
                    locale={locale}
                    share={row.share}
                    status={row.status}
                    label={`${row.name}, % of target`}
                  />
                </td>
                <td data-label="Status" className="px-3 py-2 align-top">
                  <StatusBadge status={row.status} pace={row.paceProgress} locale={locale} />
                </td>
                {open ? (
                  <td data-label="Projected" className="px-3 py-2 align-top">
                    <Projected row={row} locale={locale} />
                  </td>
                ) : null}
                <td
                  data-label="Change"
                  className="whitespace-nowrap px-3 py-2 text-right align-top tabular-nums text-gray-700"
                  title={
                    row.previous
                      ? `${row.previous.label}: ${formatValue(row.previous.value, row.measure, locale)}`
                      : undefined
                  }
                >
                  {signedChange(row.change, (abs) => formatValue(abs, row.measure, locale))}
                  {row.change !== null && row.previous ? (
                    <span className="block text-[11px] text-gray-500">vs {row.previous.label}</span>
                  ) : null}
                </td>
                <td data-label="Trend" className="px-3 py-2 align-top">
                  <Sparkline points={row.trend} label={`Trend of ${row.name}`} />
                </td>
                <td data-label="Coverage" className="px-3 py-2 align-top text-xs text-gray-600">
                  {row.coverage
                    ? (row.coverage.text ??
                      `${row.coverage.reported} of ${row.coverage.expected} reported`)
                    : ''}
                </td>
              </tr>
              {row.commentary ? (
                <tr>
                  <td colSpan={open ? 9 : 8} className="stack-full px-4 pb-3 pt-0">
                    <Commentary row={row} />
                  </td>
                </tr>
              ) : null}
            </tbody>
          ))}
        </table>
      </div>
    </section>
  );
}

function KpiName({ row, orgSlug }: { row: ReportRow; orgSlug?: string }): ReactNode {
  const star = row.isNorthStar ? (
    <span className="mr-1 text-amber-500" aria-label="North star">
      ★
    </span>
  ) : null;
  if (!orgSlug) {
    return (
      <p className="font-medium text-gray-900">
        {star}
        {row.name}
      </p>
    );
  }
  return (
    <p className="font-medium">
      {star}
      <WorkspaceLink
        href={`/o/${orgSlug}/kpis/${row.kpiId}`}
        className="text-gray-900 hover:text-indigo-700"
      >
        {row.name}
      </WorkspaceLink>
    </p>
  );
}

function Commentary({ row }: { row: ReportRow }) {
  const c = row.commentary!;
  return (
    <blockquote className="rounded-lg border-l-4 border-indigo-200 bg-indigo-50/50 px-3 py-2 text-sm text-gray-800">
      <p className="whitespace-pre-line">{c.analysis}</p>
      {c.nextAction ? (
        <p className="mt-1 text-gray-700">
          <span className="font-medium">Next:</span> {c.nextAction}
          {c.actionOwnerName ? ` · ${c.actionOwnerName}` : ''}
          {c.actionDueOn ? ` · due ${c.actionDueOn}` : ''}
        </p>
      ) : null}
      <footer className="mt-1 text-xs text-gray-500">
        {c.authorName ?? 'Someone'} on {c.periodLabel} · {c.createdAt.slice(0, 10)}
        {c.revision > 1 ? ` · revision ${c.revision}` : ''}
      </footer>
    </blockquote>
  );
}
