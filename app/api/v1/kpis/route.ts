// GET /api/v1/kpis: the KPIs the key's creator may see, with their current period (filters: unit, owner, status, northStar).
// POST /api/v1/kpis: a new KPI (write:definitions), exactly as the KPI form creates it.
import { listKpis } from '@/lib/dal/kpis/list';
import { saveKpiForm } from '@/lib/dal/kpis/save-kpi-form';
import { definitionBody, optionalKpiRef, runDefinitionWrite } from '@/lib/server/api-definitions';
import { apiRoute, otherMethods, parseOrThrow, queryOf } from '@/lib/server/api-route';
import { toApiDefinition, toApiKpi } from '@/lib/server/api-shapes';
import { kpiListQuerySchema } from '@/lib/validation/api';
import { apiKpiCreateSchema } from '@/lib/validation/api-definitions';

export const dynamic = 'force-dynamic';

export const { PUT, PATCH, DELETE } = otherMethods('GET', 'POST');

export const GET = apiRoute('read', async ({ ctx }, request) => {
  const query = parseOrThrow(kpiListQuerySchema, queryOf(request));
  const kpis = (await listKpis(ctx)).filter(
    (k) =>
      (query.unit === undefined || k.unitId === query.unit) &&
      (query.owner === undefined || k.ownerUserId === query.owner) &&
      (query.status === undefined || k.current.status === query.status) &&
      (query.northStar === undefined || k.isNorthStar === query.northStar),
  );
  return { body: { data: kpis.map(toApiKpi) } };
});

export const POST = apiRoute('write:definitions', async (api, request) => {
  const { raw, input } = await definitionBody(request, apiKpiCreateSchema);
  const parentId = await optionalKpiRef(api, input.parentId);
  return runDefinitionWrite(api, request, raw, async (tx) => {
    const kpi = await saveKpiForm(api.ctx, tx, { ...input, parentId, mode: 'create' });
    return { status: 201, body: { data: toApiDefinition(kpi) } };
  });
});
