// The period report as a PDF download, rendered on the server from the same report as the page.
import { getReport } from '@/lib/dal/reports/report';
import { reportFileName } from '@/lib/server/report-export/naming';
import { reportToPdf } from '@/lib/server/report-export/pdf';
import { orgGetRoute } from '../../_lib/org-route';
import { periodParam } from '../../_lib/period-param';

export const dynamic = 'force-dynamic';

export const GET = orgGetRoute(async (ctx, request) => {
  const params = new URL(request.url).searchParams;
  const report = await getReport(ctx, {
    scope: params.get('scope'),
    period: periodParam(ctx, request),
  });
  const pdf = await reportToPdf(report);
  return new Response(new Uint8Array(pdf), {
    headers: {
      'content-type': 'application/pdf',
      'content-disposition': `attachment; filename="${reportFileName(ctx.org.slug, report, 'pdf')}"`,
      'content-length': String(pdf.length),
    },
  });
});
