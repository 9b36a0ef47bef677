// GET /api/o/<slug>/lead-candidates?kpi=<id>: the KPIs that could be linked as leading that KPI (the KPI page's picker loads it when the reader gets near it).
import { z } from 'zod';
import { listLeadCandidates, listLeadPairs } from '@/lib/dal/kpis/leading-indicators';
import { parseOrThrow, queryOf } from '@/lib/server/api-route';
import { orgGetRoute } from '../_lib/org-route';

export const dynamic = 'force-dynamic';

const Query = z.strictObject({ kpi: z.uuid('Give the KPI as kpi=<id>.') });

export const GET = orgGetRoute(async (ctx, request) => {
  const { kpi } = parseOrThrow(Query, queryOf(request));
  // KPIs already leading it are no candidates (NOT_FOUND when the KPI is not visible).
  const pairs = await listLeadPairs(ctx, kpi);
  return listLeadCandidates(
    ctx,
    kpi,
    pairs.filter((p) => p.lagging.id === kpi).map((p) => p.leading.id),
  );
});
