// GET /api/o/<slug>/lead-candidates?kpi=<id>&q=&limit=: the KPIs that could be linked as leading that KPI, searched as one types in the KPI page's picker.
import { z } from 'zod';
import { listLeadPairs, searchLeadCandidates } from '@/lib/dal/kpis/leading-indicators';
import { parseOrThrow, queryOf } from '@/lib/server/api-route';
import { pickerSearchFields } from '@/lib/validation/picker-search';
import { orgGetRoute } from '../_lib/org-route';

export const dynamic = 'force-dynamic';

const Query = z.strictObject({ kpi: z.uuid('Give the KPI as kpi=<id>.'), ...pickerSearchFields });

export const GET = orgGetRoute(async (ctx, request) => {
  const { kpi, q, limit } = parseOrThrow(Query, queryOf(request));
  // KPIs already leading it are no candidates (NOT_FOUND when the KPI is not visible).
  const pairs = await listLeadPairs(ctx, kpi);
  return searchLeadCandidates(
    ctx,
    kpi,
    pairs.filter((p) => p.lagging.id === kpi).map((p) => p.leading.id),
    q,
    limit,
  );
});
