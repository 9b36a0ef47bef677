// GET /api/o/<slug>/checkins-template.csv: an import template listing every KPI the person may record values on.
import { listKpis } from '@/lib/dal/kpis/list';
import { can } from '@/lib/authz/can';
import { toCsv } from '@/lib/domain/csv';
import { todayInTimeZone } from '@/lib/domain/dates';
import { orgGetRoute } from '../_lib/org-route';

export const dynamic = 'force-dynamic';

export const GET = orgGetRoute(async (ctx) => {
  const today = todayInTimeZone(ctx.org.timeZone);
  const writable = (await listKpis(ctx)).filter(
    (k) =>
      k.rollup === 'manual' &&
      can(ctx, 'checkins.write', { unitId: k.unitId, ownerUserId: k.ownerUserId }),
  );
  const csv = toCsv([
    ['kpi', 'kpi_name', 'observed_on', 'value', 'note'],
    ...writable.map((k) => [k.key ?? k.id, k.name, today, '', '']),
  ]);
  return new Response(`\uFEFF${csv}`, {
    headers: {
      'content-type': 'text/csv; charset=utf-8',
      'content-disposition': `attachment; filename="${ctx.org.slug}-checkins-template.csv"`,
    },
  });
});
