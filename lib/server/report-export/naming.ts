import type { Report } from '@/lib/dal/reports/types';

/* What both exports of a report call things: the download's file name (status words: lib/domain/status-text). */

/** File name for a report download: `northwind-cloud-report-quarter-2026-04-01.pdf`. */
export function reportFileName(orgSlug: string, report: Report, ext: 'pdf' | 'csv'): string {
  const scope = report.scope.key === 'company' ? 'company' : report.scope.name;
  const safe = (s: string) =>
    s
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '');
  return `${safe(orgSlug)}-${safe(scope) || 'unit'}-report-${report.period.key}.${ext}`;
}
