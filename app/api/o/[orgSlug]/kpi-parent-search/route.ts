// GET /api/o/<slug>/kpi-parent-search?q=&limit=&unit=&cadence=&rollup=&measure=[&currency=][&kpi=]: the KPI form's parent picker, search as you type.
import { searchParentCandidates } from '@/lib/dal/kpis/parent-search';
import { parseOrThrow, queryOf } from '@/lib/server/api-route';
import { parentSearchQuery } from '@/lib/validation/picker-search';
import { orgGetRoute } from '../_lib/org-route';

export const dynamic = 'force-dynamic';

export const GET = orgGetRoute(async (ctx, request) => {
  const query = parseOrThrow(parentSearchQuery, queryOf(request));
  return searchParentCandidates(
    ctx,
    {
      id: query.kpi ?? null,
      unitId: query.unit,
      cadence: query.cadence,
      rollup: query.rollup,
      measureUnit: query.measure,
      currency: query.measure === 'currency' ? (query.currency ?? null) : null,
    },
    query.q,
    query.limit,
  );
});
