// GET /api/v1/kpis/{kpi}: one KPI by id or key, with its current period value and status.
// PATCH /api/v1/kpis/{kpi}: change its fields, owner, parent, north star and targets (write:definitions), as the KPI form's save.
import { listKpiPeriodValues } from '@/lib/dal/kpis/period-values';
import { resolveKpiRef } from '@/lib/dal/kpis/refs';
import { saveKpiForm } from '@/lib/dal/kpis/save-kpi-form';
import { todayInTimeZone } from '@/lib/domain/dates';
import { definitionBody, optionalKpiRef, runDefinitionWrite } from '@/lib/server/api-definitions';
import { apiRoute, otherMethods, parseOrThrow } from '@/lib/server/api-route';
import { toApiDefinition, toApiKpi } from '@/lib/server/api-shapes';
import { kpiPathParams } from '@/lib/validation/api';
import { apiKpiUpdateSchema } from '@/lib/validation/api-definitions';

export const dynamic = 'force-dynamic';

export const { POST, PUT, DELETE } = otherMethods('GET', 'PATCH');

export const GET = apiRoute<{ kpi: string }>('read', async ({ ctx }, _request, params) => {
  const { kpi: ref } = parseOrThrow(kpiPathParams, params);
  const today = todayInTimeZone(ctx.org.timeZone);
  const { kpi } = await listKpiPeriodValues(ctx, await resolveKpiRef(ctx, ref), {
    from: today,
    to: today,
  });
  return { body: { data: toApiKpi(kpi) } };
});

export const PATCH = apiRoute<{ kpi: string }>(
  'write:definitions',
  async (api, request, params) => {
    const { kpi: ref } = parseOrThrow(kpiPathParams, params);
    const kpiId = await resolveKpiRef(api.ctx, ref);
    const { raw, input } = await definitionBody(request, apiKpiUpdateSchema);
    const parentId = await optionalKpiRef(api, input.parentId);
    return runDefinitionWrite(
      api,
      request,
      raw,
      async (tx) => {
        const kpi = await saveKpiForm(api.ctx, tx, { ...input, parentId, kpiId, mode: 'edit' });
        return { status: 200, body: { data: toApiDefinition(kpi) } };
      },
      { kpiId, version: input.version },
    );
  },
);
