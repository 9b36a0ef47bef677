import type { Metadata } from 'next';
import { requireOrgPage } from '@/lib/server/page-context';

export const metadata: Metadata = { title: 'Dashboard' };

const NEXT_STEPS = [
  { title: 'Shape your organization', text: 'Add departments and teams under your company, and name a lead for each.' },
  { title: 'Set your north star', text: 'Create the one to three company KPIs everything else should move — for a SaaS, usually ARR or MRR.' },
  { title: 'Cascade the KPIs', text: 'Link department, team and individual KPIs to their parents and pick how each rolls up.' },
  { title: 'Invite your people', text: 'Give each KPI an owner. Owners check in values; the rollup does the rest.' },
];

export default async function DashboardPage({ params }: { params: Promise<{ orgSlug: string }> }) {
  const { orgSlug } = await params;
  const ctx = await requireOrgPage(orgSlug);
  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-2xl font-semibold">Welcome to {ctx.org.name}</h1>
        <p className="mt-1 text-sm text-gray-600">
          Your workspace is ready. Nothing is measured yet — here is what to do next.
        </p>
      </div>
      <ol className="grid gap-4 sm:grid-cols-2">
        {NEXT_STEPS.map((step, i) => (
          <li key={step.title} className="rounded-xl border border-gray-200 bg-white p-5 shadow-sm">
            <span className="text-xs font-semibold uppercase tracking-wide text-indigo-600">Step {i + 1}</span>
            <h2 className="mt-1 font-semibold">{step.title}</h2>
            <p className="mt-1 text-sm text-gray-600">{step.text}</p>
          </li>
        ))}
      </ol>
    </div>
  );
}
