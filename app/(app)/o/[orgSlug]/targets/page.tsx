import type { Metadata } from 'next';
import { WorkspaceLink } from '@/components/layout/workspace-link';
import { notFound } from 'next/navigation';
import { getTargetGrid } from '@/lib/dal/kpis/target-grid';
import { addMonths, todayInTimeZone } from '@/lib/domain/dates';
import { CADENCES, periodStart, type Cadence } from '@/lib/domain/periods';
import { mayHoldPermission } from '@/lib/server/org-action';
import { requireOrgPage } from '@/lib/server/page-context';
import { Pager } from '@/components/layout/pager';
import { pageNumber } from '@/lib/domain/view-params/query';
import { TargetsGrid } from './_components/targets-grid';

export const metadata: Metadata = { title: 'Targets' };

/** Grid rows a page shows: a large organization sets thousands of KPIs' targets, 12 cells each. */
const ROWS_A_PAGE = 100;

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
  const grid = await getTargetGrid(ctx, cadence, asOf, {
    page: pageNumber(query),
    size: ROWS_A_PAGE,
  });
  const { paging } = grid;
  const href = (c: Cadence, n: boolean, page = 1) =>
    `/o/${ctx.org.slug}/targets?cadence=${c}${n ? '&year=next' : ''}${page > 1 ? `&page=${page}` : ''}`;
  const tab = (active: boolean) =>
    `rounded-md px-3 py-1.5 text-sm font-medium ${active ? 'bg-indigo-600 text-white' : 'text-gray-700 hover:bg-gray-100'}`;
  return (
    <div className="space-y-4">
      <header>
        <h1 className="text-2xl font-semibold">Targets · {grid.fiscalYear.label}</h1>
        <p className="mt-1 text-sm text-gray-600">
          The KPIs whose targets you set, by period. Change any cells, then save them together
          {paging.pages > 1 ? ' (before you turn the page)' : ''}.
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
        <>
          <TargetsGrid
            key={`${cadence}-${next}-${paging.page}`}
            orgSlug={ctx.org.slug}
            grid={grid}
          />
          <Pager
            label="Target rows pages"
            page={paging.page}
            pages={paging.pages}
            first={paging.first}
            count={grid.rows.length}
            total={paging.total}
            href={(page) => href(cadence, next, page)}
          />
        </>
      )}
    </div>
  );
}
