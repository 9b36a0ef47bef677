import Link from 'next/link';
import { FormulaLinks, FormulaMark } from '@/components/kpis/formula-links';
import { ProgressBar } from '@/components/kpis/progress-bar';
import { KpiKindBadges } from '@/components/kpis/kpi-kind-badges';
import { StatusBadge } from '@/components/kpis/status-badge';
import type { DashboardKpiDto } from '@/lib/domain/dashboard/types';
import { coverageText, valueText } from './display';
import { ProjectedLine } from './projected-end';
import { SeeAll } from './section-card';

/**
 * A KPI table for the selected period: name, owner, actual, target, progress and status, and
 * under the name its formula links (drivers, formulas fed). On a phone it keeps name, actual and
 * status; the rest appears from the `sm` breakpoint.
 */
export function KpiScorecard({
  orgSlug,
  kpis,
  caption,
  showUnit = true,
  emptyText = 'No KPIs here yet.',
  total,
  seeAllHref,
  locale,
}: {
  orgSlug: string;
  /** The first rows (the DAL bounds them); `total` counts all, `seeAllHref` lists all. */
  kpis: DashboardKpiDto[];
  caption: string;
  showUnit?: boolean;
  emptyText?: string;
  total: number;
  seeAllHref: string;
  /** The organization's locale: numbers and dates are written its way. */
  locale: string;
}) {
  if (kpis.length === 0) return <p className="px-4 py-6 text-sm text-gray-600">{emptyText}</p>;
  return (
    <>
      {/* Phones: one stacked row per KPI. */}
      <ul className="divide-y divide-gray-100 sm:hidden" aria-label={caption}>
        {kpis.map((kpi) => {
          const coverage = coverageText(kpi, kpi.view);
          return (
            <li key={kpi.id} className="px-4 py-2.5 text-sm">
              <div className="flex items-start justify-between gap-2">
                <KpiNameLink orgSlug={orgSlug} kpi={kpi} className="min-w-0" />
                <span className="shrink-0 whitespace-nowrap">
                  <StatusBadge
                    status={kpi.view.status}
                    pace={kpi.view.paceProgress}
                    locale={locale}
                  />
                </span>
              </div>
              <p className="text-xs text-gray-500">
                <KpiKindBadges category={kpi.category} indicator={kpi.indicator} className="mr-1" />
                {showUnit ? `${kpi.unitName} · ` : ''}
                {kpi.ownerName ?? 'No owner'}
                {coverage ? ` · ${coverage}` : ''}
              </p>
              <FormulaLinks orgSlug={orgSlug} links={kpi.links} />
              {/* The bar drops under the numbers when long values leave it no room. */}
              <div className="mt-1 flex flex-wrap items-center gap-x-3 gap-y-1">
                <p className="shrink-0 tabular-nums text-gray-900">
                  {valueText(kpi, kpi.view.value, locale)}{' '}
                  <span className="text-gray-500">
                    of {valueText(kpi, kpi.view.target, locale)}
                    {kpi.view.targetImplied ? ' (implied)' : ''}
                  </span>
                </p>
                <div className="min-w-[8rem] flex-1">
                  <ProgressBar
                    locale={locale}
                    share={kpi.view.share}
                    status={kpi.view.status}
                    label={`${kpi.name}, % of target`}
                  />
                </div>
              </div>
              <ProjectedLine kpi={kpi} projected={kpi.projected} locale={locale} className="mt-1" />
            </li>
          );
        })}
      </ul>
      <div className="hidden overflow-x-auto sm:block">
        <table className="w-full text-sm">
          <caption className="sr-only">{caption}</caption>
          <thead className="text-left text-xs uppercase tracking-wide text-gray-500">
            <tr>
              <th scope="col" className="px-4 py-2 font-medium">
                KPI
              </th>
              <th scope="col" className="hidden px-4 py-2 font-medium md:table-cell">
                Owner
              </th>
              <th scope="col" className="px-4 py-2 text-right font-medium">
                Actual
              </th>
              <th scope="col" className="hidden px-4 py-2 text-right font-medium sm:table-cell">
                Target
              </th>
              <th scope="col" className="hidden w-40 px-4 py-2 font-medium lg:table-cell">
                % of target
              </th>
              <th scope="col" className="px-4 py-2 text-right font-medium">
                Status
              </th>
            </tr>
          </thead>
          <tbody>
            {kpis.map((kpi) => {
              const coverage = coverageText(kpi, kpi.view);
              return (
                <tr key={kpi.id} className="border-t border-gray-100 align-top">
                  <td className="px-4 py-2">
                    <KpiNameLink
                      orgSlug={orgSlug}
                      kpi={kpi}
                      className="focus-visible:outline focus-visible:outline-2 focus-visible:outline-indigo-600"
                    />
                    <p className="text-xs text-gray-500">
                      <KpiKindBadges
                        category={kpi.category}
                        indicator={kpi.indicator}
                        className="mr-1"
                      />
                      {showUnit ? `${kpi.unitName} · ` : ''}
                      {kpi.view.label}
                      {coverage ? ` · ${coverage}` : ''}
                      <span className="md:hidden"> · {kpi.ownerName ?? 'No owner'}</span>
                    </p>
                    <FormulaLinks orgSlug={orgSlug} links={kpi.links} />
                    <ProjectedLine kpi={kpi} projected={kpi.projected} locale={locale} />
                  </td>
                  <td className="hidden px-4 py-2 text-gray-700 md:table-cell">
                    {kpi.ownerName ?? <span className="text-gray-500">No owner</span>}
                  </td>
                  <td className="whitespace-nowrap px-4 py-2 text-right tabular-nums text-gray-900">
                    {valueText(kpi, kpi.view.value, locale)}
                  </td>
                  <td className="hidden whitespace-nowrap px-4 py-2 text-right tabular-nums text-gray-600 sm:table-cell">
                    {valueText(kpi, kpi.view.target, locale)}
                    {kpi.view.targetImplied ? (
                      <span className="block text-[11px] text-gray-500">implied</span>
                    ) : null}
                  </td>
                  <td className="hidden px-4 py-2 lg:table-cell">
                    <ProgressBar
                      locale={locale}
                      share={kpi.view.share}
                      status={kpi.view.status}
                      label={`${kpi.name}, % of target`}
                    />
                  </td>
                  <td className="whitespace-nowrap px-4 py-2 text-right">
                    <StatusBadge
                      status={kpi.view.status}
                      pace={kpi.view.paceProgress}
                      locale={locale}
                    />
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      <SeeAll shown={kpis.length} total={total} href={seeAllHref} noun="KPIs" />
    </>
  );
}

/** The KPI's name linking to its page, with a star for a north star. */
function KpiNameLink({
  orgSlug,
  kpi,
  className,
}: {
  orgSlug: string;
  kpi: DashboardKpiDto;
  className: string;
}) {
  return (
    <Link
      href={`/o/${orgSlug}/kpis/${kpi.id}`}
      className={`font-medium text-gray-900 hover:text-indigo-700 ${className}`}
    >
      {kpi.isNorthStar ? (
        <span className="mr-1 text-amber-500" aria-label="North star">
          ★
        </span>
      ) : null}
      {kpi.rollup === 'formula' ? <FormulaMark /> : null}
      {kpi.name}
    </Link>
  );
}
