// POST /api/v1/kpis/{kpi}/archive: archive a KPI seen at `version` (write:definitions), as the KPI page's archive.
import { archiveKpi } from '@/lib/dal/kpis/archive';
import { resolveKpiRef } from '@/lib/dal/kpis/refs';
import { definitionBody, optionalKpiRef, runDefinitionWrite } from '@/lib/server/api-definitions';
import { apiRoute, otherMethods, parseOrThrow } from '@/lib/server/api-route';
import { toApiDefinition } from '@/lib/server/api-shapes';
import { kpiPathParams } from '@/lib/validation/api';
import { apiKpiArchiveSchema } from '@/lib/validation/api-definitions';

export const dynamic = 'force-dynamic';

export const { GET, PUT, PATCH, DELETE } = otherMethods('POST');

export const POST = apiRoute<{ kpi: string }>('write:definitions', async (api, request, params) => {
  const { kpi: ref } = parseOrThrow(kpiPathParams, params);
  const kpiId = await resolveKpiRef(api.ctx, ref);
  const { raw, input } = await definitionBody(request, apiKpiArchiveSchema);
  const replacementKpiId = await optionalKpiRef(api, input.replacementKpiId);
  return runDefinitionWrite(
    api,
    request,
    raw,
    async (tx) => {
      const kpi = await archiveKpi(api.ctx, tx, {
        kpiId,
        version: input.version,
        replacementKpiId,
      });
      return { status: 200, body: { data: toApiDefinition(kpi) } };
    },
    { kpiId, version: input.version },
  );
});
