// PUT /api/v1/kpis/{kpi}/targets: set or clear per-period targets of one KPI, all or nothing (write:definitions), as the targets grid.
import { resolveKpiRef } from '@/lib/dal/kpis/refs';
import { saveTargets } from '@/lib/dal/kpis/target-plan';
import { definitionBody, runDefinitionWrite } from '@/lib/server/api-definitions';
import { apiRoute, otherMethods, parseOrThrow } from '@/lib/server/api-route';
import { kpiPathParams } from '@/lib/validation/api';
import { apiTargetsSchema } from '@/lib/validation/api-definitions';

export const dynamic = 'force-dynamic';

export const { GET, POST, PATCH, DELETE } = otherMethods('PUT');

export const PUT = apiRoute<{ kpi: string }>('write:definitions', async (api, request, params) => {
  const { kpi: ref } = parseOrThrow(kpiPathParams, params);
  const kpiId = await resolveKpiRef(api.ctx, ref);
  const { raw, input } = await definitionBody(request, apiTargetsSchema);
  return runDefinitionWrite(api, request, raw, async (tx) => {
    const { saved } = await saveTargets(api.ctx, tx, {
      targets: input.targets.map((t) => ({ kpiId, ...t })),
    });
    return { status: 200, body: { data: { saved } } };
  });
});
