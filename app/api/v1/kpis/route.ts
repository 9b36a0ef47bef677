// GET /api/v1/kpis: the KPIs the key's creator may see, with their current period (filters: unit, owner, status, northStar).
import { listKpis } from '@/lib/dal/kpis/list';
import { apiRoute, parseOrThrow, queryOf } from '@/lib/server/api-route';
import { toApiKpi } from '@/lib/server/api-shapes';
import { kpiListQuerySchema } from '@/lib/validation/api';

export const dynamic = 'force-dynamic';

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
