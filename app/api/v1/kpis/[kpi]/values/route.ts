// GET /api/v1/kpis/{kpi}/values?from&to: the KPI's value, target and status for each period in a range.
import { listKpiPeriodValues } from '@/lib/dal/kpis/period-values';
import { resolveKpiRef } from '@/lib/dal/kpis/refs';
import { addDays, todayInTimeZone } from '@/lib/domain/dates';
import { AppError } from '@/lib/errors';
import { apiRoute, otherMethods, parseOrThrow, queryOf } from '@/lib/server/api-route';
import { toApiKpi, toApiPeriod } from '@/lib/server/api-shapes';
import { kpiPathParams, periodValuesQuerySchema } from '@/lib/validation/api';

export const dynamic = 'force-dynamic';

export const { POST, PUT, PATCH, DELETE } = otherMethods('GET');

export const GET = apiRoute<{ kpi: string }>('read', async ({ ctx }, request, params) => {
  const { kpi: ref } = parseOrThrow(kpiPathParams, params);
  const query = parseOrThrow(periodValuesQuerySchema, queryOf(request));
  const to = query.to ?? todayInTimeZone(ctx.org.timeZone);
  const from = query.from ?? addDays(to, -364);
  if (from > to)
    throw new AppError('VALIDATION', 'Please fix the highlighted fields.', {
      from: ['`from` must be on or before `to`'],
    });
  const { kpi, periods } = await listKpiPeriodValues(ctx, await resolveKpiRef(ctx, ref), {
    from,
    to,
  });
  return { body: { data: { kpi: toApiKpi(kpi), periods: periods.map(toApiPeriod) } } };
});
