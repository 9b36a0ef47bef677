// GET /api/v1/kpis/{kpi}: one KPI by id or key, with its current period value and status.
import { listKpiPeriodValues } from '@/lib/dal/kpis/period-values';
import { resolveKpiRef } from '@/lib/dal/kpis/refs';
import { todayInTimeZone } from '@/lib/domain/dates';
import { apiRoute, parseOrThrow } from '@/lib/server/api-route';
import { toApiKpi } from '@/lib/server/api-shapes';
import { kpiPathParams } from '@/lib/validation/api';

export const dynamic = 'force-dynamic';

export const GET = apiRoute<{ kpi: string }>('read', async ({ ctx }, _request, params) => {
  const { kpi: ref } = parseOrThrow(kpiPathParams, params);
  const today = todayInTimeZone(ctx.org.timeZone);
  const { kpi } = await listKpiPeriodValues(ctx, await resolveKpiRef(ctx, ref), {
    from: today,
    to: today,
  });
  return { body: { data: toApiKpi(kpi) } };
});
