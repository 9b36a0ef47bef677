import Link from 'next/link';
import { StatusBadge } from '@/components/kpis/status-badge';
import type { DashboardKpi } from '@/lib/dal/dashboards';
import { formatProgress } from '@/lib/domain/format';
import { paceText, valueText } from './display';

/** At-risk and off-track KPIs with who owns them, worst first. */
export function AttentionList({
  orgSlug,
  kpis,
  isCurrent,
}: {
  orgSlug: string;
  kpis: DashboardKpi[];
  isCurrent: boolean;
}) {
  if (kpis.length === 0) {
    return (
      <p className="px-4 py-6 text-sm text-gray-600">
        Nothing is at risk or off track in this period.
      </p>
    );
  }
  const shown = kpis.slice(0, LIMIT);
  return (
    <>
      <ul className="divide-y divide-gray-100" aria-label="At risk and off track">
        {shown.map((kpi) => (
          <li
            key={kpi.id}
            className="flex flex-wrap items-center gap-x-3 gap-y-1 px-4 py-2 text-sm"
          >
            <div className="min-w-0 basis-full sm:basis-0 sm:flex-1">
              <Link
                href={`/o/${orgSlug}/kpis/${kpi.id}`}
                className="font-medium text-gray-900 hover:text-indigo-700"
              >
                {kpi.name}
              </Link>
              <p className="text-xs text-gray-500">
                {kpi.unitName} · Owner:{' '}
                {kpi.ownerName ?? <span className="text-red-600">nobody</span>}
                {paceText(kpi, kpi.view, isCurrent)
                  ? ` · ${paceText(kpi, kpi.view, isCurrent)} (judged on pace)`
                  : ''}
              </p>
            </div>
            <span className="mr-auto tabular-nums text-gray-700 sm:mr-0">
              {valueText(kpi, kpi.view.value)}{' '}
              <span className="text-gray-500">/ {valueText(kpi, kpi.view.target)}</span>
            </span>
            <span className="w-12 text-right text-xs tabular-nums text-gray-500">
              {formatProgress(kpi.view.progress)}
            </span>
            <span className="whitespace-nowrap">
              <StatusBadge status={kpi.view.status} />
            </span>
          </li>
        ))}
      </ul>
      {kpis.length > LIMIT ? (
        <p className="border-t border-gray-100 px-4 py-2 text-sm text-gray-600">
          And {kpis.length - LIMIT} more.{' '}
          <Link
            href={`/o/${orgSlug}/kpis`}
            className="font-medium text-indigo-700 hover:text-indigo-900"
          >
            Filter the KPI explorer by status
          </Link>
        </p>
      ) : null}
    </>
  );
}

/** Rows shown before "and N more": a dashboard stays a summary, even for thousands of KPIs. */
const LIMIT = 15;
