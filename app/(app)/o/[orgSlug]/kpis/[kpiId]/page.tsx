import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { ActualVsTargetChart } from '@/components/charts/actual-vs-target-chart';
import { ProgressBar } from '@/components/kpis/progress-bar';
import { StatusBadge } from '@/components/kpis/status-badge';
import { getKpiDetail } from '@/lib/dal/kpi-views';
import { formatProgress, formatValue } from '@/lib/domain/format';
import { AppError } from '@/lib/errors';
import { requireOrgPage } from '@/lib/server/page-context';

export const metadata: Metadata = { title: 'KPI' };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const ROLLUP_TEXT: Record<string, string> = {
  manual: 'Recorded directly',
  sum: 'Sum of its children',
  average: 'Average of its children',
  weighted_average: 'Weighted average of its children',
  min: 'Lowest of its children',
  max: 'Highest of its children',
};

export default async function KpiDetailPage({
  params,
}: {
  params: Promise<{ orgSlug: string; kpiId: string }>;
}) {
  const { orgSlug, kpiId } = await params;
  const ctx = await requireOrgPage(orgSlug);
  if (!UUID.test(kpiId)) notFound();
  const kpi = await getKpiDetail(ctx, kpiId).catch((error: unknown) => {
    if (error instanceof AppError && error.code === 'NOT_FOUND') notFound();
    throw error;
  });
  const fmt = (v: string | null) => formatValue(v, kpi);
  const suffix = kpi.measureUnit === 'percent' ? '%' : kpi.measureUnit === 'currency' ? ` ${kpi.currency}` : '';
  const chart = kpi.history.map((p) => ({
    period: p.label,
    Actual: p.value === null ? null : Number(p.value),
    Target: p.target === null ? null : Number(p.target),
  }));
  const current = kpi.current;

  return (
    <div className="space-y-6">
      <nav className="text-sm text-gray-500" aria-label="Breadcrumb">
        <Link href={`/o/${ctx.org.slug}/kpis`} className="hover:text-gray-800">
          KPIs
        </Link>
        {kpi.parent ? (
          <>
            {' / '}
            <Link href={`/o/${ctx.org.slug}/kpis/${kpi.parent.id}`} className="hover:text-gray-800">
              {kpi.parent.name}
            </Link>
          </>
        ) : null}
      </nav>

      <header className="flex flex-wrap items-start justify-between gap-4">
        <div>
          <h1 className="text-2xl font-semibold">
            {kpi.isNorthStar ? <span className="mr-1 text-amber-500" title="North star">★</span> : null}
            {kpi.name}
          </h1>
          <p className="mt-1 text-sm text-gray-600">
            {kpi.unitName} · {kpi.ownerName ?? 'No owner'} · {kpi.cadence === 'month' ? 'Monthly' : kpi.cadence === 'quarter' ? 'Quarterly' : 'Yearly'} ·{' '}
            {kpi.direction === 'increase' ? 'Higher is better' : 'Lower is better'} · {ROLLUP_TEXT[kpi.rollup]}
            {kpi.key ? <> · <code className="text-xs">{kpi.key}</code></> : null}
          </p>
          {kpi.description ? <p className="mt-2 max-w-3xl text-sm text-gray-700">{kpi.description}</p> : null}
        </div>
        <StatusBadge status={current.status} />
      </header>

      <section className="grid gap-4 sm:grid-cols-3" aria-label="Current period">
        <Stat label={`Actual · ${current.label}`} value={fmt(current.value)} />
        <Stat label="Target" value={fmt(current.target)} sub={current.paceProgress !== null && current.target !== null && kpi.timeAggregation === 'sum' ? `On pace: ${formatProgress(current.paceProgress)}` : undefined} />
        <div className="rounded-xl border border-gray-200 bg-white p-4 shadow-sm">
          <p className="text-xs font-medium uppercase tracking-wide text-gray-500">Progress</p>
          <div className="mt-3">
            <ProgressBar progress={current.progress} status={current.status} />
          </div>
          {kpi.rollup !== 'manual' ? (
            <p className="mt-2 text-xs text-gray-500">
              {current.childrenReported} of {current.childrenExpected} reported
            </p>
          ) : null}
        </div>
      </section>

      <section className="rounded-xl border border-gray-200 bg-white p-4 shadow-sm">
        <h2 className="mb-2 font-semibold">Actual vs target</h2>
        <ActualVsTargetChart data={chart} unitSuffix={suffix} />
      </section>

      {kpi.rollup !== 'manual' || kpi.children.length > 0 ? (
        <section className="rounded-xl border border-gray-200 bg-white shadow-sm">
          <h2 className="border-b border-gray-200 px-4 py-3 font-semibold">
            This number = {ROLLUP_TEXT[kpi.rollup]?.toLowerCase()}
          </h2>
          {kpi.children.length === 0 ? (
            <p className="p-4 text-sm text-gray-600">No KPIs are linked to this one yet.</p>
          ) : (
            <table className="w-full text-sm">
              <thead className="text-left text-xs uppercase tracking-wide text-gray-500">
                <tr>
                  <th className="px-4 py-2">KPI</th>
                  <th className="px-4 py-2 text-right">Value</th>
                  {kpi.rollup === 'weighted_average' ? <th className="px-4 py-2 text-right">Weight</th> : null}
                  <th className="px-4 py-2 text-right">Share</th>
                </tr>
              </thead>
              <tbody>
                {kpi.children.map((child) => (
                  <tr key={child.id} className="border-t border-gray-100">
                    <td className="px-4 py-2">
                      <Link href={`/o/${ctx.org.slug}/kpis/${child.id}`} className="font-medium text-gray-900 hover:text-indigo-700">
                        {child.name}
                      </Link>
                      <p className="text-xs text-gray-500">
                        {child.unitName} · {child.current.label}
                        {child.archivedOn ? ` · archived ${child.archivedOn}` : ''}
                      </p>
                    </td>
                    <td className="px-4 py-2 text-right tabular-nums">{formatValue(child.current.value, child)}</td>
                    {kpi.rollup === 'weighted_average' ? <td className="px-4 py-2 text-right tabular-nums">{child.weight}</td> : null}
                    <td className="px-4 py-2 text-right tabular-nums">{child.share === null ? '—' : formatProgress(child.share)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </section>
      ) : null}

      <div className="grid gap-6 lg:grid-cols-2">
        <section className="rounded-xl border border-gray-200 bg-white shadow-sm">
          <h2 className="border-b border-gray-200 px-4 py-3 font-semibold">Check-ins</h2>
          {kpi.checkins.length === 0 ? (
            <p className="p-4 text-sm text-gray-600">No values recorded yet.</p>
          ) : (
            <ul className="divide-y divide-gray-100">
              {kpi.checkins.map((c) => (
                <li key={c.id} className="flex items-start justify-between gap-4 px-4 py-2 text-sm">
                  <div>
                    <p className="tabular-nums font-medium">{fmt(c.value)}</p>
                    <p className="text-xs text-gray-500">
                      {c.observedOn} · {c.authorName ?? 'Unknown'} · {c.source}
                    </p>
                    {c.note ? <p className="mt-1 text-gray-700">{c.note}</p> : null}
                  </div>
                </li>
              ))}
            </ul>
          )}
        </section>
        <section className="rounded-xl border border-gray-200 bg-white shadow-sm">
          <h2 className="border-b border-gray-200 px-4 py-3 font-semibold">History</h2>
          {kpi.audit.length === 0 ? (
            <p className="p-4 text-sm text-gray-600">No changes recorded.</p>
          ) : (
            <ul className="divide-y divide-gray-100">
              {kpi.audit.map((a) => (
                <li key={a.id} className="px-4 py-2 text-sm">
                  <span className="font-medium">{a.action}</span>{' '}
                  <span className="text-gray-500">
                    by {a.actorName ?? 'system'} · {a.createdAt.slice(0, 16).replace('T', ' ')} UTC
                  </span>
                </li>
              ))}
            </ul>
          )}
        </section>
      </div>
    </div>
  );
}

function Stat({ label, value, sub }: { label: string; value: string; sub?: string }) {
  return (
    <div className="rounded-xl border border-gray-200 bg-white p-4 shadow-sm">
      <p className="text-xs font-medium uppercase tracking-wide text-gray-500">{label}</p>
      <p className="mt-1 text-2xl font-semibold tabular-nums">{value}</p>
      {sub ? <p className="mt-1 text-xs text-gray-500">{sub}</p> : null}
    </div>
  );
}
