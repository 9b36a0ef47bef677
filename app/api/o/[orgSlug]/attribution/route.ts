// GET /api/o/<slug>/attribution?kpi=<id>&period=<start>: every contribution to a KPI's gap down the cascade (the KPI page's "every contribution" list loads it when opened).
import { z } from 'zod';
import { getKpiAttribution } from '@/lib/dal/kpis/attribution';
import { parseOrThrow, queryOf } from '@/lib/server/api-route';
import { attributionQuerySchema } from '@/lib/validation/api-attribution';
import { orgGetRoute } from '../_lib/org-route';

export const dynamic = 'force-dynamic';

const Query = attributionQuerySchema.extend({ kpi: z.uuid('Give the KPI as kpi=<id>.') });

export const GET = orgGetRoute(async (ctx, request) => {
  const { kpi, period } = parseOrThrow(Query, queryOf(request));
  const { attribution } = await getKpiAttribution(ctx, kpi, period);
  return { lines: attribution.lines };
});
