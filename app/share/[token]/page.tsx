import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { ReportView } from '@/components/reports/report-view';
import { getSharedReport } from '@/lib/dal/reports/shares';

// A shared report for people outside the app: no account, nothing but the frozen snapshot.
export const dynamic = 'force-dynamic';

export const metadata: Metadata = {
  title: 'Shared report',
  robots: { index: false, follow: false },
  referrer: 'no-referrer',
};

export default async function SharedReportPage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  const report = await getSharedReport(token);
  if (!report) notFound();
  return (
    <div className="min-h-screen bg-gray-50">
      <div className="mx-auto max-w-7xl px-4 py-8">
        <p className="no-print mb-4 text-xs text-gray-500">
          Read-only report shared from Cascade KPI. The numbers are as they were when it was shared.
        </p>
        <ReportView report={report} />
      </div>
    </div>
  );
}
