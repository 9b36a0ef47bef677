import type { Metadata } from 'next';
import { WorkspaceLink } from '@/components/layout/workspace-link';
import { notFound } from 'next/navigation';
import { can } from '@/lib/authz/can';
import { listSqlPullLog } from '@/lib/dal/sql-sources/pulls';
import { listSqlSources } from '@/lib/dal/sql-sources/sources';
import { formatInstant } from '@/lib/domain/dates';
import { requireOrgPage } from '@/lib/server/page-context';
import { SettingsSubpageHeader } from '../_components/settings-subpage-header';
import { DeleteSourceButton } from './_components/delete-source-button';
import { SqlSourceForm } from './_components/sql-source-form';

export const metadata: Metadata = { title: 'SQL sources' };

/**
 * SQL sources (owners and admins): read-only PostgreSQL databases KPIs pull their values from;
 * register (tested on save), delete, and the pull log of every KPI pulling from them.
 */
export default async function SqlSourcesPage({ params }: { params: Promise<{ orgSlug: string }> }) {
  const { orgSlug } = await params;
  const ctx = await requireOrgPage(orgSlug);
  if (!can(ctx, 'settings.manage')) notFound();
  const [sources, log] = await Promise.all([listSqlSources(ctx), listSqlPullLog(ctx)]);
  const sourceName = new Map(sources.map((s) => [s.id, s.name]));
  const tz = ctx.org.timeZone;

  return (
    <div className="mx-auto max-w-4xl space-y-6">
      <SettingsSubpageHeader orgSlug={ctx.org.slug} title="SQL sources">
        PostgreSQL databases your KPIs pull their values from, on a schedule. Connect with a role
        that may only read: every pull runs in a read-only transaction, 10 seconds at most, 10,000
        rows at most. Each KPI&apos;s query is set on its page (Pull from a SQL source).
      </SettingsSubpageHeader>

      <section
        aria-labelledby="sources-heading"
        className="rounded-xl border border-gray-200 bg-white shadow-sm"
      >
        <h2 id="sources-heading" className="border-b border-gray-200 px-4 py-3 font-semibold">
          Sources
        </h2>
        {sources.length === 0 ? (
          <p className="p-4 text-sm text-gray-600">No source yet.</p>
        ) : (
          <ul className="divide-y divide-gray-100">
            {sources.map((s) => (
              <li
                key={s.id}
                data-testid="sql-source"
                className="flex flex-wrap items-center gap-3 px-4 py-3"
              >
                <div className="min-w-0 flex-1">
                  <p className="break-words text-sm font-medium text-gray-900">{s.name}</p>
                  <p className="break-all text-xs text-gray-500">
                    {s.database} on {s.host} · added {formatInstant(s.createdAt, tz, ctx.org.locale)}
                  </p>
                </div>
                <DeleteSourceButton orgSlug={ctx.org.slug} sourceId={s.id} name={s.name} />
              </li>
            ))}
          </ul>
        )}
      </section>

      <section
        aria-labelledby="new-source-heading"
        className="rounded-xl border border-gray-200 bg-white shadow-sm"
      >
        <h2 id="new-source-heading" className="border-b border-gray-200 px-4 py-3 font-semibold">
          Register a source
        </h2>
        <div className="p-4">
          <SqlSourceForm orgSlug={ctx.org.slug} />
        </div>
      </section>

      <section
        aria-labelledby="pull-log-heading"
        className="rounded-xl border border-gray-200 bg-white shadow-sm"
      >
        <h2 id="pull-log-heading" className="border-b border-gray-200 px-4 py-3 font-semibold">
          Pull log
        </h2>
        {log.length === 0 ? (
          <p className="p-4 text-sm text-gray-600">No pull has run yet.</p>
        ) : (
          <ul
            className="divide-y divide-gray-100"
            aria-label={`The last 100 pulls, newest first (times in ${tz})`}
          >
            {log.map((run) => (
              <li key={run.id} data-testid="sql-pull-run" className="space-y-1 px-4 py-3">
                <div className="flex flex-wrap items-baseline justify-between gap-x-3 gap-y-1">
                  <p className="min-w-0 break-words text-sm">
                    <WorkspaceLink
                      href={`/o/${ctx.org.slug}/kpis/${run.kpiId}`}
                      className="font-medium text-indigo-700 hover:underline"
                    >
                      {run.kpiName}
                    </WorkspaceLink>{' '}
                    <span className="text-gray-500">
                      from {sourceName.get(run.sourceId) ?? 'a deleted source'}
                    </span>
                  </p>
                  {run.status === 'ok' ? (
                    <span className="rounded-full bg-emerald-50 px-2 py-0.5 text-xs font-medium text-emerald-800 ring-1 ring-emerald-200">
                      OK
                    </span>
                  ) : (
                    <span className="rounded-full bg-red-50 px-2 py-0.5 text-xs font-medium text-red-800 ring-1 ring-red-200">
                      Failed
                    </span>
                  )}
                </div>
                <p className="text-xs text-gray-500">
                  {formatInstant(run.finishedAt, tz, ctx.org.locale, { year: false })} ·{' '}
                  {run.trigger === 'manual' ? 'pull now' : 'scheduled'} · {run.rowsRead}{' '}
                  {run.rowsRead === 1 ? 'row' : 'rows'} read · {run.rowsWritten} written
                </p>
                {run.error ? <p className="break-words text-xs text-red-700">{run.error}</p> : null}
              </li>
            ))}
          </ul>
        )}
      </section>
    </div>
  );
}
