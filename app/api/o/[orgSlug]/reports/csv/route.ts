// The period report as CSV (one row per KPI, formula-safe cells), from the same report as the page.
import { getReport } from '@/lib/dal/reports/report';
import { reportToCsv } from '@/lib/server/report-export/csv';
import { reportFileName } from '@/lib/server/report-export/naming';
import { orgGetRoute } from '../../_lib/org-route';
import { periodParam } from '../../_lib/period-param';

export const dynamic = 'force-dynamic';

export const GET = orgGetRoute(async (ctx, request) => {
  const params = new URL(request.url).searchParams;
  const report = await getReport(ctx, {
    scope: params.get('scope'),
    period: periodParam(ctx, request),
  });
  // A byte order mark so spreadsheet apps read the file as UTF-8.
  return new Response(`\uFEFF${reportToCsv(report)}`, {
    headers: {
      'content-type': 'text/csv; charset=utf-8',
      'content-disposition': `attachment; filename="${reportFileName(ctx.org.slug, report, 'csv')}"`,
    },
  });
});
