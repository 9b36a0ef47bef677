// GET /api/v1/kpis/{kpi}/attribution?period: the KPI's gap to target in one period, split into its children's or drivers' contributions.
import { getKpiAttribution } from '@/lib/dal/kpis/attribution';
import { resolveKpiRef } from '@/lib/dal/kpis/refs';
import { apiRoute, otherMethods, parseOrThrow, queryOf } from '@/lib/server/api-route';
import { attributionQuerySchema } from '@/lib/validation/api-attribution';
import { kpiPathParams } from '@/lib/validation/api';

export const dynamic = 'force-dynamic';

export const { POST, PUT, PATCH, DELETE } = otherMethods('GET');

export const GET = apiRoute<{ kpi: string }>('read', async ({ ctx }, request, params) => {
  const { kpi: ref } = parseOrThrow(kpiPathParams, params);
  const { period } = parseOrThrow(attributionQuerySchema, queryOf(request));
  const {
    kpi,
    period: p,
    attribution: a,
  } = await getKpiAttribution(ctx, await resolveKpiRef(ctx, ref), period);
  return {
    body: {
      data: {
        kpi: { id: kpi.id, key: kpi.key, name: kpi.name },
        period: p,
        actual: a.actual,
        target: a.target,
        targetImplied: a.targetImplied,
        gap: a.gap,
        method: a.method,
        reason: a.reason,
        contributions: a.lines.map((l) => ({
          kind: l.kind,
          id: l.kpiId,
          key: l.key,
          name: l.name,
          read: l.read,
          actual: l.actual,
          target: l.target,
          contribution: l.contribution,
          missing: l.missing,
        })),
      },
    },
  };
});
