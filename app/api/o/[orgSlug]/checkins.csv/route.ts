// GET /api/o/<slug>/checkins.csv?from&to&unit: period values (key, name, unit, period, target, actual, status) as CSV.
import { listPeriodValuesInScope } from '@/lib/dal/kpis/period-values';
import { toCsv } from '@/lib/domain/csv';
import { addDays, todayInTimeZone } from '@/lib/domain/dates';
import { normalizeDecimal } from '@/lib/domain/decimal';
import { STATUS_LABEL } from '@/lib/domain/status-text';
import { AppError } from '@/lib/errors';
import { parseOrThrow, queryOf } from '@/lib/server/api-route';
import { exportQuerySchema } from '@/lib/validation/api';
import { orgGetRoute } from '../_lib/org-route';

export const dynamic = 'force-dynamic';


export const GET = orgGetRoute(async (ctx, request) => {
  const query = parseOrThrow(exportQuerySchema, queryOf(request));
  const to = query.to ?? todayInTimeZone(ctx.org.timeZone);
  const from = query.from ?? addDays(to, -364);
  if (from > to) throw new AppError('VALIDATION', '`from` must be on or before `to`.');
  const rows = await listPeriodValuesInScope(ctx, { from, to, unitId: query.unit });
  const csv = toCsv([
    [
      'kpi_key',
      'kpi_name',
      'unit',
      'period_start',
      'period',
      'target',
      'actual',
      'status',
      'measure',
    ],
    ...rows.map((r) => [
      r.key ?? r.kpiId,
      r.name,
      r.unitName,
      r.period.start,
      r.period.label,
      r.period.target === null ? null : normalizeDecimal(r.period.target),
      r.period.value === null ? null : normalizeDecimal(r.period.value),
      STATUS_LABEL[r.period.status].toLowerCase(),
      r.measureUnit === 'currency' ? (r.currency ?? 'currency') : r.measureUnit,
    ]),
  ]);
  return new Response(`\uFEFF${csv}`, {
    headers: {
      'content-type': 'text/csv; charset=utf-8',
      'content-disposition': `attachment; filename="${ctx.org.slug}-period-values-${from}-to-${to}.csv"`,
    },
  });
});
