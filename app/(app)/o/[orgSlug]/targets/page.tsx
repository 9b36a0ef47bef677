import type { Metadata } from 'next';
import { WorkspaceLink } from '@/components/layout/workspace-link';
import { notFound } from 'next/navigation';
import { getTargetGrid } from '@/lib/dal/kpis/target-grid';
import { addMonths, todayInTimeZone } from '@/lib/domain/dates';
import { CADENCES, periodStart, type Cadence } from '@/lib/domain/periods';
import { mayHoldPermission } from '@/lib/server/org-action';
import { requireOrgPage } from '@/lib/server/page-context';
import { TargetsGrid } from './_components/targets-grid';

export const metadata: Metadata = { title: 'Targets' };

const CADENCE_TEXT: Record<Cadence, string> = {
  month: 'Monthly',
  quarter: 'Quarterly',
  year: 'Yearly',
};

/** The targets grid for admins and leads: their KPIs of one cadence by the fiscal year's periods. */
export default async function TargetsPage({
  params,
  searchParams,
}: {
  params: Promise<{ orgSlug: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const [{ orgSlug }, query] = await Promise.all([params, searchParams]);
  const ctx = await requireOrgPage(orgSlug);
  if (!mayHoldPermission(ctx, 'targets.write')) notFound();
  const cadence = CADENCES.find((c) => c === query.cadence) ?? 'month';
  const next = query.year === 'next';
  const today = todayInTimeZone(ctx.org.timeZone);
  const asOf = next ? addMonths(periodStart(today, 'month', ctx.org.fyStartMonth), 12) : today;
  const grid = await getTargetGrid(ctx, cadence, asOf);
  const href = (c: Cadence, n: boolean) =>
    `/o/${ctx.org.slug}/targets?cadence=${c}${n ? '&year=next' : ''}`;
  const tab = (active: boolean) =>
    `rounded-md px-3 py-1.5 text-sm font-medium ${active ? 'bg-indigo-600 text-white' : 'text-gray-700 hover:bg-gray-100'}`;
  return (
    <div className="space-y-4">
      <header>
        <h1 className="text-2xl font-semibold">Targets · {grid.fiscalYear.label}</h1>
        <p className="mt-1 text-sm text-gray-600">
          The KPIs whose targets you set, by period. Change any cells, then save them together.
        </p>
      </header>
      <nav className="flex flex-wrap gap-2" aria-label="Cadence and year">
        {CADENCES.map((c) => (
          <WorkspaceLink
            key={c}
            href={href(c, next)}
            className={tab(c === cadence)}
            aria-current={c === cadence ? 'page' : undefined}
          >
            {CADENCE_TEXT[c]}
          </WorkspaceLink>
        ))}
        <span className="mx-1 border-l border-gray-200" aria-hidden />
        <WorkspaceLink
          href={href(cadence, false)}
          className={tab(!next)}
          aria-current={!next ? 'page' : undefined}
        >
          This year
        </WorkspaceLink>
        <WorkspaceLink
          href={href(cadence, true)}
          className={tab(next)}
          aria-current={next ? 'page' : undefined}
        >
          Next year
        </WorkspaceLink>
      </nav>
      {grid.rows.length === 0 ? (
        <p className="rounded-xl border border-gray-200 bg-white p-4 text-sm text-gray-600">
          No KPI of this cadence whose targets you set.
        </p>
      ) : (
        <TargetsGrid key={`${cadence}-${next}`} orgSlug={ctx.org.slug} grid={grid} />
      )}
    </div>
  );
}
