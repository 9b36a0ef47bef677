import { FormulaLinks, FormulaMark } from '@/components/kpis/formula-links';
import { StatusBadge } from '@/components/kpis/status-badge';
import type { DashboardKpiDto } from '@/lib/domain/dashboard/types';
import { formatProgress } from '@/lib/domain/format';
import { paceText, valueText } from './display';
import { SeeAll } from './section-card';

/**
 * At-risk and off-track KPIs with who owns them and, for a formula, what it is computed from, worst
 * first (the worst few of `total`).
 */
export function AttentionList({
  orgSlug,
  kpis,
  total,
  seeAllHref,
  isCurrent,
  locale,
}: {
  orgSlug: string;
  kpis: DashboardKpiDto[];
  total: number;
  seeAllHref: string;
  isCurrent: boolean;
  /** The organization's locale: numbers and dates are written its way. */
  locale: string;
}) {
  if (kpis.length === 0) {
    return (
      <p className="px-4 py-6 text-sm text-gray-600">
        Nothing is at risk or off track in this period.
      </p>
    );
  }
  return (
    <>
      <ul className="divide-y divide-gray-100" aria-label="At risk and off track">
        {kpis.map((kpi) => {
          const pace = paceText(kpi, kpi.view, isCurrent, locale);
          return (
            <li
              key={kpi.id}
              className="flex flex-wrap items-center gap-x-3 gap-y-1 px-4 py-2 text-sm"
            >
              <div className="min-w-0 basis-full sm:basis-0 sm:flex-1">
                <a
                  href={`/o/${orgSlug}/kpis/${kpi.id}`}
                  className="font-medium text-gray-900 hover:text-indigo-700"
                >
                  {kpi.rollup === 'formula' ? <FormulaMark /> : null}
                  {kpi.name}
                </a>
                <p className="text-xs text-gray-500">
                  {`${kpi.unitName} · Owner: ${kpi.ownerName ?? ''}`}
                  {kpi.ownerName ? null : <span className="text-red-600">nobody</span>}
                  {pace ? ` · ${pace} (judged on pace)` : null}
                </p>
                <FormulaLinks orgSlug={orgSlug} links={kpi.links} />
              </div>
              <span className="mr-auto tabular-nums text-gray-700 sm:mr-0">
                {`${valueText(kpi, kpi.view.value, locale)} `}
                <span className="text-gray-500">{`/ ${valueText(kpi, kpi.view.target, locale)}`}</span>
              </span>
              <span className="w-12 text-right text-xs tabular-nums text-gray-500">
                {formatProgress(kpi.view.share, locale)}
              </span>
              <span className="whitespace-nowrap">
                <StatusBadge
                  status={kpi.view.status}
                  pace={kpi.view.paceProgress}
                  locale={locale}
                />
              </span>
            </li>
          );
        })}
      </ul>
      <SeeAll shown={kpis.length} total={total} href={seeAllHref} noun="at risk or off track" />
    </>
  );
}
