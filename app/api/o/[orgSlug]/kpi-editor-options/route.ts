// GET /api/o/<slug>/kpi-editor-options: what the KPI edit form picks from up front (units and the unit tree; parent and owner are searched), loaded when the form opens; 403 for whoever may write KPIs nowhere.
import { getKpiFormOptions } from '@/lib/dal/kpis/editor-options';
import { forbiddenError } from '@/lib/errors';
import { orgGetRoute } from '../_lib/org-route';

export const dynamic = 'force-dynamic';

export const GET = orgGetRoute(async (ctx) => {
  const options = await getKpiFormOptions(ctx);
  if (!options.units.some((u) => u.canWriteKpis)) throw forbiddenError();
  return options;
});
