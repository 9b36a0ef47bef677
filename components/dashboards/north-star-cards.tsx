import { TrendSparkline } from '@/components/charts/trend-sparkline';
import {
  driverNotes,
  FormulaLinks,
  FormulaMark,
  KpiRefLink,
} from '@/components/kpis/formula-links';
import { ProgressBar } from '@/components/kpis/progress-bar';
import { StatusBadge } from '@/components/kpis/status-badge';
import type { NorthStarCard } from '@/lib/dal/dashboards/types';
import type { DashboardKpiDto } from '@/lib/domain/dashboard/types';
import { coverageText, paceText, valueText } from './display';
import { ProjectedLine } from './projected-end';

/**
 * The company's north stars: value, target, progress, status, trend and coverage, and for a
 * formula north star its drivers with their values and statuses. One north star gets a wide card
 * with a larger trend; two or three share the row.
 */
export function NorthStarCards({
  orgSlug,
  cards,
  isCurrent,
  locale,
}: {
  orgSlug: string;
  cards: NorthStarCard[];
  isCurrent: boolean;
  /** The organization's locale: numbers and dates are written its way. */
  locale: string;
}) {
  const wide = cards.length === 1;
  return (
    <ul
      className={`grid grid-cols-1 gap-4 ${wide ? '' : 'md:grid-cols-2 xl:grid-cols-3'}`}
      aria-label="North star KPIs"
    >
      {cards.map(({ kpi, trend }) => {
        const coverage = coverageText(kpi, kpi.view);
        const pace = paceText(kpi, kpi.view, isCurrent, locale);
        return (
          <li
            key={kpi.id}
            className={`min-w-0 rounded-xl border border-gray-200 bg-white p-4 shadow-sm ${wide ? 'md:grid md:grid-cols-[minmax(0,1fr)_minmax(0,1.3fr)] md:gap-8 md:p-5' : 'flex flex-col'}`}
            data-testid="north-star-card"
          >
            <div className="min-w-0">
              <div className="flex items-start justify-between gap-2">
                <div className="min-w-0">
                  <p className="text-xs font-medium uppercase tracking-wide text-amber-700">
                    <span aria-hidden>★ </span>North star · {kpi.view.label}
                  </p>
                  <h3 className="mt-0.5 break-words font-semibold text-gray-900">
                    <a
                      href={`/o/${orgSlug}/kpis/${kpi.id}`}
                      className="hover:text-indigo-700 focus-visible:outline focus-visible:outline-2 focus-visible:outline-indigo-600"
                    >
                      {kpi.name}
                    </a>
                  </h3>
                </div>
                <span className="shrink-0 whitespace-nowrap">
                  <StatusBadge
                    status={kpi.view.status}
                    pace={kpi.view.paceProgress}
                    locale={locale}
                  />
                </span>
              </div>
              <p
                className="mt-3 break-words text-3xl font-semibold tabular-nums text-gray-900"
                data-testid="north-star-value"
              >
                {valueText(kpi, kpi.view.value, locale)}
              </p>
              <p className="text-sm text-gray-500">
                of <span className="tabular-nums">{valueText(kpi, kpi.view.target, locale)}</span>{' '}
                {kpi.view.targetImplied ? 'target implied by its inputs' : 'target'}
                {pace ? <span className="ml-2 text-gray-500">· {pace}</span> : null}
              </p>
              <div className="mt-3">
                <ProgressBar
                  locale={locale}
                  share={kpi.view.share}
                  status={kpi.view.status}
                  label={`${kpi.name}, % of target`}
                />
              </div>
              <ProjectedLine
                kpi={kpi}
                projected={kpi.projected}
                locale={locale}
                className="mt-2 text-sm"
              />
              <p className="mt-2 text-xs text-gray-500" data-testid="north-star-coverage">
                {coverage ?? 'Recorded directly'} · Owner: {kpi.ownerName ?? 'nobody'}
              </p>
              <Drivers locale={locale} orgSlug={orgSlug} kpi={kpi} />
              <FormulaLinks
                orgSlug={orgSlug}
                links={kpi.links}
                showDrivers={false}
                className="mt-1"
              />
            </div>
            <div
              className={`min-w-0 ${wide ? 'mt-3 md:mt-0 md:flex md:flex-col md:justify-center' : 'mt-3'}`}
            >
              <p className="mb-1 text-xs text-gray-500">
                Last {trend.length}{' '}
                {kpi.cadence === 'month'
                  ? 'months'
                  : kpi.cadence === 'quarter'
                    ? 'quarters'
                    : 'years'}
              </p>
              <TrendSparkline data={trend} label={`Trend of ${kpi.name}`} tall={wide} />
            </div>
          </li>
        );
      })}
    </ul>
  );
}

/** A formula north star's drivers, each with its value and status in words for the period. */
function Drivers({
  orgSlug,
  kpi,
  locale,
}: {
  orgSlug: string;
  kpi: DashboardKpiDto;
  locale: string;
}) {
  const links = kpi.links;
  if (!links || (links.drivers.length === 0 && links.hiddenDrivers === 0)) return null;
  const notes = driverNotes(links);
  return (
    <div className="mt-3 border-t border-gray-100 pt-2" data-testid="north-star-drivers">
      <p className="text-xs text-gray-500">
        <FormulaMark />
        Computed from:
      </p>
      <ul className="mt-1 space-y-1 text-sm empty:hidden" aria-label={`Drivers of ${kpi.name}`}>
        {links.drivers.map((d) => (
          <li key={d.id} className="flex flex-wrap items-center justify-end gap-x-2 gap-y-0.5">
            <span className="min-w-0 flex-1 break-words">
              <KpiRefLink orgSlug={orgSlug} kpi={d} />
            </span>
            <span className="tabular-nums text-gray-800">{valueText(d, d.view.value, locale)}</span>
            <span className="shrink-0 whitespace-nowrap">
              <StatusBadge status={d.view.status} pace={d.view.paceProgress} locale={locale} />
            </span>
          </li>
        ))}
      </ul>
      {notes.length > 0 ? (
        <p className="mt-1 text-xs text-gray-500">
          {links.drivers.length > 0 ? 'and ' : ''}
          {notes.join(' and ')}
        </p>
      ) : null}
    </div>
  );
}
