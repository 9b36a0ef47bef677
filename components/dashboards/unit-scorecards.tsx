import { FormulaMark } from '@/components/kpis/formula-links';
import { StatusDot, statusIconClass } from '@/components/kpis/status-badge';
import type { UnitScorecard } from '@/lib/dal/dashboards/types';
import type { ProjectedCounts, StatusCounts } from '@/lib/domain/dashboard/types';
import { kpiFilterQuery } from '@/lib/domain/kpi-filter';
import type { Status } from '@/lib/domain/progress';
import { valueText } from './display';

const ORDER: { status: Status; label: string; bar: string }[] = [
  { status: 'on_track', label: 'On track', bar: 'bg-emerald-500' },
  { status: 'at_risk', label: 'At risk', bar: 'bg-amber-500' },
  { status: 'off_track', label: 'Off track', bar: 'bg-red-500' },
  { status: 'in_progress', label: 'In progress', bar: 'bg-sky-400' },
  { status: 'no_data', label: 'No data', bar: 'bg-gray-300' },
];

/** A count's share of the total in percent, to two decimals (a segment's width). */
function percent(count: number, total: number): number {
  return Math.round((count / Math.max(1, total)) * 10_000) / 100;
}

/**
 * A bar split by status, with the counts spelled out for screen readers and the eye. "In
 * progress" (flows not graded yet) appears only when there are any: closed periods have none.
 */
export function StatusCountBar({ counts }: { counts: StatusCounts }) {
  const shown = ORDER.filter((o) => o.status !== 'in_progress' || counts.in_progress > 0);
  return (
    <div>
      <div className="progress-track flex" aria-hidden>
        {ORDER.map(({ status, bar }) =>
          counts[status] > 0 ? (
            <div
              key={status}
              className={bar}
              style={{ width: `${percent(counts[status], counts.total)}%` }}
            />
          ) : null,
        )}
      </div>
      <dl
        className={`mt-2 grid ${shown.length > 4 ? 'grid-cols-5' : 'grid-cols-4'} gap-1 text-center`}
      >
        {shown.map(({ status, label }) => (
          <div key={status}>
            {/* The icon (its ::before) ties the label to its segment of the bar by shape as well as colour. */}
            <dt className={`count-label ${statusIconClass(status)}`}>{label}</dt>
            <dd className="count-value" data-testid={`count-${status}`}>
              {counts[status]}
            </dd>
          </div>
        ))}
      </dl>
    </div>
  );
}

const PROJECTED: { status: keyof Omit<ProjectedCounts, 'total'>; label: string }[] = [
  { status: 'on_track', label: 'on track' },
  { status: 'at_risk', label: 'at risk' },
  { status: 'off_track', label: 'off track' },
];

/**
 * Where a unit's KPIs are heading in the open period: how many are projected to end it on track,
 * at risk and off track, in words (the bar's legend above ties each word to its icon), out of how
 * many have a projection.
 * What a department head asks next to the status bar: not one headline number (its own row shows
 * that) but how many of the unit's KPIs will miss if nothing changes. Nothing without projections.
 */
function ProjectedCountsLine({ counts, of }: { counts: ProjectedCounts; of: number }) {
  if (counts.total === 0) return null;
  // lean markup (no icons: about 450 bytes a card less): up to 12 cards on the owner's
  // dashboard, each sent as HTML and again in React's payload
  return (
    <p className="mt-2 text-xs text-gray-600" data-testid="unit-projected">
      Projected at period end{counts.total < of ? ` (${counts.total} of ${of})` : ''}:{' '}
      {PROJECTED.map(({ status, label }, i) => (
        <span key={status} className="whitespace-nowrap">
          {i > 0 ? ' · ' : null}
          {counts[status]} {label}
        </span>
      ))}
    </p>
  );
}

/**
 * One card per department (or team directly under the company) with its counts by status: the
 * first `scorecards` of `total` units; each card's count links to the explorer filtered to it.
 */
export function UnitScorecards({
  orgSlug,
  scorecards,
  total,
  asOf,
  locale,
}: {
  orgSlug: string;
  scorecards: UnitScorecard[];
  total: number;
  /** The complete period's last day, for the explorer links (undefined: the open period). */
  asOf?: string;
  /** The organization's locale: numbers and dates are written its way. */
  locale: string;
}) {
  return (
    <>
      <ul className="grid gap-4 sm:grid-cols-2 xl:grid-cols-3" aria-label="Department scorecards">
        {scorecards.map(({ unit, counts, projected, kpis, kpiCount }) => (
          <li
            key={unit.id}
            className="rounded-xl border border-gray-200 bg-white p-4 shadow-sm"
            data-testid="unit-scorecard"
          >
            <div className="flex items-baseline justify-between gap-2">
              <h3 className="truncate font-semibold text-gray-900">{unit.name}</h3>
              <a
                href={`/o/${orgSlug}/kpis${kpiFilterQuery({ unitIds: [unit.id], subtree: true, kind: 'team', asOf })}`}
                className="shrink-0 text-xs text-gray-500 hover:text-indigo-700"
                aria-label={`All ${counts.total} KPIs of ${unit.name} in the explorer`}
              >
                {`${counts.total} KPI${counts.total === 1 ? '' : 's'}`}
              </a>
            </div>
            <p className="mb-3 text-xs text-gray-500">
              {`${unit.kind === 'team' ? 'Team' : 'Department'} · Lead: ${unit.leadName ?? 'none'}`}
            </p>
            <StatusCountBar counts={counts} />
            <ProjectedCountsLine counts={projected} of={counts.total} />
            {kpis.length > 0 ? (
              <ul className="mt-3 space-y-1 border-t border-gray-100 pt-2">
                {kpis.slice(0, 4).map((kpi) => (
                  <li key={kpi.id} className="flex items-center gap-2 text-sm">
                    <StatusDot
                      status={kpi.view.status}
                      pace={kpi.view.paceProgress}
                      locale={locale}
                    />
                    <a
                      href={`/o/${orgSlug}/kpis/${kpi.id}`}
                      className="min-w-0 flex-1 truncate text-gray-800 hover:text-indigo-700"
                    >
                      {kpi.rollup === 'formula' ? <FormulaMark /> : null}
                      {kpi.name}
                    </a>
                    <span className="shrink-0 tabular-nums text-gray-600">
                      {valueText(kpi, kpi.view.value, locale)}
                    </span>
                  </li>
                ))}
                {kpiCount > kpis.length ? (
                  <li className="text-xs text-gray-500">
                    {`and ${kpiCount - kpis.length} more of its own`}
                  </li>
                ) : null}
              </ul>
            ) : null}
          </li>
        ))}
      </ul>
      {total > scorecards.length ? (
        <p className="mt-2 text-sm text-gray-600">
          Showing {scorecards.length} of {total} departments.{' '}
          <a
            href={`/o/${orgSlug}/units`}
            className="font-medium text-indigo-700 hover:text-indigo-900"
          >
            See all units
          </a>
        </p>
      ) : null}
    </>
  );
}
