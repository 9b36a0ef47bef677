// GET /api/o/<slug>/kpi-editor-options: what the KPI edit form picks from (units, people, link candidates), loaded when the form opens; 403 for whoever may write KPIs nowhere.
import { getKpiEditorOptions } from '@/lib/dal/kpis/editor-options';
import { listKpis } from '@/lib/dal/kpis/list';
import { forbiddenError } from '@/lib/errors';
import { orgGetRoute } from '../_lib/org-route';

export const dynamic = 'force-dynamic';

export const GET = orgGetRoute(async (ctx) => {
  const options = await getKpiEditorOptions(ctx, await listKpis(ctx));
  if (!options.units.some((u) => u.canWriteKpis)) throw forbiddenError();
  return options;
});
