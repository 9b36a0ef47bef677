import type { Metadata } from 'next';
import { WorkspaceLink } from '@/components/layout/workspace-link';
import { notFound } from 'next/navigation';
import { HistoryTable } from '@/components/history/history-entries';
import { PersonFilter } from '@/components/history/person-filter';
import { GetForm } from '@/components/ui/get-form';
import { can } from '@/lib/authz/can';
import { listHistory } from '@/lib/dal/audit-history';
import { getMemberChoice } from '@/lib/dal/people/members';
import { AUDIT_KINDS } from '@/lib/domain/audit-history';
import { AppError } from '@/lib/errors';
import { requireOrgPage } from '@/lib/server/page-context';
import { historyQuerySchema, type HistoryQuery } from '@/lib/validation/history';

export const metadata: Metadata = { title: 'History' };

/** The filters as a query string (empty ones left out), for links that keep them. */
function queryString(query: Partial<Record<keyof HistoryQuery, string | number | undefined>>) {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined && value !== '') params.set(key, String(value));
  }
  const text = params.toString();
  return text ? `?${text}` : '';
}

// As the person picker's input (SearchCombobox), so the filters line up.
const input =
  'mt-1 block w-full rounded-md border border-gray-300 bg-white px-3 py-2 text-sm shadow-sm focus:border-indigo-500 focus:outline-none focus:ring-1 focus:ring-indigo-500';

/**
 * The organization's history (owners and admins): who changed what and when, with before and
 * after, filtered by person, kind, days (in the org's time zone) and KPI, 50 a page, newest
 * first, and the CSV of the same filter. Everyone else gets the same 404 as a missing page.
 */
export default async function HistoryPage({
  params,
  searchParams,
}: {
  params: Promise<{ orgSlug: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const [{ orgSlug }, raw] = await Promise.all([params, searchParams]);
  const ctx = await requireOrgPage(orgSlug);
  if (!can(ctx, 'history.read_all')) notFound();
  const flat = Object.fromEntries(
    Object.entries(raw).flatMap(([k, v]) => {
      const value = Array.isArray(v) ? v[v.length - 1] : v;
      return value === undefined || value === '' ? [] : [[k, value]];
    }),
  );
  const parsed = historyQuerySchema.safeParse(flat);
  const query: HistoryQuery = parsed.success ? parsed.data : {};
  const [page, member] = await Promise.all([
    listHistory(ctx, query).catch((error: unknown) => {
      // A KPI of another organization or one that does not exist: the same 404.
      if (error instanceof AppError && error.code === 'NOT_FOUND') notFound();
      throw error;
    }),
    query.person ? getMemberChoice(ctx, query.person) : null,
  ]);
  // The person filtered by: a member, or someone who left, named by their own changes.
  const personName = query.person
    ? (member?.name ??
      page.entries.find((e) => e.actor.id === query.person)?.actor.name ??
      'Someone no longer a member')
    : null;
  const base = `/o/${ctx.org.slug}/history`;
  const filters = {
    person: query.person,
    kind: query.kind,
    from: query.from,
    to: query.to,
    kpi: query.kpi,
  };
  const csvHref = `/api/o/${ctx.org.slug}/history.csv${queryString(filters)}`;

  return (
    <div className="mx-auto max-w-6xl space-y-6">
      <div className="flex flex-wrap items-end justify-between gap-3">
        <div>
          <h1 className="text-2xl font-semibold">History</h1>
          <p className="mt-1 text-sm text-gray-600">
            Who changed what in {ctx.org.name}, newest first, with the values before and after
            (times in {ctx.org.timeZone}).
          </p>
        </div>
        <a
          href={csvHref}
          download
          className="rounded-md border border-gray-300 bg-white px-3 py-2 text-sm font-medium text-gray-700 shadow-sm hover:bg-gray-50"
        >
          Download CSV
        </a>
      </div>

      <GetForm
        action={base}
        aria-label="Filter the history"
        className="grid grid-cols-1 gap-3 rounded-xl border border-gray-200 bg-white p-4 shadow-sm sm:grid-cols-2 lg:grid-cols-5"
      >
        <PersonFilter
          // A new person in the URL (a name's link, routed in place) starts the picker anew.
          key={query.person ?? ''}
          orgSlug={ctx.org.slug}
          chosen={query.person && personName ? { userId: query.person, name: personName } : null}
        />
        <label className="text-sm font-medium text-gray-700">
          Kind
          <select name="kind" defaultValue={query.kind ?? ''} className={input}>
            <option value="">All kinds</option>
            {AUDIT_KINDS.map((k) => (
              <option key={k.kind} value={k.kind}>
                {k.label}
              </option>
            ))}
          </select>
        </label>
        <label className="text-sm font-medium text-gray-700">
          From
          <input type="date" name="from" defaultValue={query.from ?? ''} className={input} />
        </label>
        <label className="text-sm font-medium text-gray-700">
          To
          <input type="date" name="to" defaultValue={query.to ?? ''} className={input} />
        </label>
        <div className="flex items-end gap-2">
          {query.kpi ? <input type="hidden" name="kpi" value={query.kpi} /> : null}
          <button
            type="submit"
            className="rounded-md bg-indigo-600 px-3 py-2 text-sm font-medium text-white hover:bg-indigo-700"
          >
            Apply
          </button>
          <WorkspaceLink href={base} className="px-2 py-2 text-sm text-gray-600 hover:underline">
            Clear
          </WorkspaceLink>
        </div>
      </GetForm>

      {!parsed.success ? (
        <p role="status" className="rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-900">
          Some filters were not understood and were left out:{' '}
          {parsed.error.issues
            .map((i) => `${i.path.join('.') || 'query'}: ${i.message}`)
            .join('; ')}
        </p>
      ) : null}
      {page.kpi ? (
        <p className="text-sm text-gray-700">
          Only the KPI{' '}
          <WorkspaceLink
            href={`/o/${ctx.org.slug}/kpis/${page.kpi.id}`}
            className="font-medium text-indigo-700 hover:underline"
          >
            {page.kpi.name}
          </WorkspaceLink>{' '}
          ·{' '}
          <WorkspaceLink
            href={`${base}${queryString({ ...filters, kpi: undefined })}`}
            className="text-indigo-700 hover:underline"
          >
            all KPIs
          </WorkspaceLink>
        </p>
      ) : null}

      <section
        aria-labelledby="history-heading"
        className="rounded-xl border border-gray-200 bg-white shadow-sm"
      >
        <h2 id="history-heading" className="sr-only">
          Changes
        </h2>
        {page.entries.length === 0 ? (
          <p className="p-4 text-sm text-gray-600">No changes match these filters.</p>
        ) : (
          <HistoryTable
            personHref={(userId) => `${base}${queryString({ ...filters, person: userId })}`}
            locale={ctx.org.locale}
            entries={page.entries}
            orgSlug={ctx.org.slug}
            timeZone={ctx.org.timeZone}
          />
        )}
      </section>

      <nav aria-label="Pages" className="flex justify-between text-sm">
        {query.before ? (
          <WorkspaceLink
            href={`${base}${queryString(filters)}`}
            className="text-indigo-700 hover:underline"
          >
            ← Newest
          </WorkspaceLink>
        ) : (
          <span />
        )}
        {page.nextCursor ? (
          <WorkspaceLink
            href={`${base}${queryString({ ...filters, before: page.nextCursor })}`}
            className="text-indigo-700 hover:underline"
          >
            Older →
          </WorkspaceLink>
        ) : null}
      </nav>
    </div>
  );
}
