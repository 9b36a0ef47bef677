import type { Metadata } from 'next';
import { can } from '@/lib/authz/can';
import { listApiKeys } from '@/lib/dal/api-keys/keys';
import { getUnitTree } from '@/lib/dal/units/tree-view';
import { addDays, todayInTimeZone } from '@/lib/domain/dates';
import { requireOrgPage } from '@/lib/server/page-context';
import { ApiExamples } from './_components/api-examples';
import { ApiKeysPanel } from './_components/api-keys-panel';
import { CsvImport } from './_components/csv-import';
import { ExportForm } from './_components/export-form';

export const metadata: Metadata = { title: 'Data in and out' };

/** CSV import and export for everyone who records values; API keys for owners and admins. */
export default async function DataPage({ params }: { params: Promise<{ orgSlug: string }> }) {
  const { orgSlug } = await params;
  const ctx = await requireOrgPage(orgSlug);
  const manageKeys = can(ctx, 'apikeys.manage');
  const [tree, keys] = await Promise.all([
    getUnitTree(ctx),
    manageKeys ? listApiKeys(ctx) : Promise.resolve([]),
  ]);
  const today = todayInTimeZone(ctx.org.timeZone);
  const api = `/api/o/${ctx.org.slug}`;
  return (
    <div className="mx-auto max-w-5xl space-y-8">
      <div>
        <h1 className="text-2xl font-semibold">Data in and out</h1>
        <p className="mt-1 text-sm text-gray-600">
          Bring values in from spreadsheets or other systems, and take period values out. Every
          import is checked row by row before anything is written, and rolls up to the north star in
          the same step.
        </p>
      </div>

      <section
        aria-labelledby="import-heading"
        className="rounded-xl border border-gray-200 bg-white p-5 shadow-sm"
      >
        <h2 id="import-heading" className="text-lg font-semibold">
          Import check-ins from CSV
        </h2>
        <p className="mt-1 text-sm text-gray-600">
          Columns: <code className="rounded bg-gray-100 px-1">kpi</code> (the KPI&apos;s key or id),{' '}
          <code className="rounded bg-gray-100 px-1">observed_on</code> (YYYY-MM-DD),{' '}
          <code className="rounded bg-gray-100 px-1">value</code> and an optional{' '}
          <code className="rounded bg-gray-100 px-1">note</code>. Commas or semicolons both work.
          Rows already recorded are skipped, so importing a file twice adds nothing.{' '}
          <a
            href={`${api}/checkins-template.csv`}
            className="font-medium text-indigo-700 hover:text-indigo-900"
            download
          >
            Download a template with your KPIs
          </a>
          .
        </p>
        <CsvImport orgSlug={ctx.org.slug} />
      </section>

      <section
        aria-labelledby="export-heading"
        className="rounded-xl border border-gray-200 bg-white p-5 shadow-sm"
      >
        <h2 id="export-heading" className="text-lg font-semibold">
          Export period values
        </h2>
        <p className="mt-1 text-sm text-gray-600">
          One row per KPI and period: key, name, unit, period, target, actual and status, for the
          KPIs you can see.
        </p>
        <ExportForm
          action={`${api}/checkins.csv`}
          units={tree.units.map((u) => ({ id: u.id, name: u.name, depth: u.depth }))}
          defaultFrom={addDays(today, -364)}
          defaultTo={today}
        />
      </section>

      {manageKeys ? (
        <section
          aria-labelledby="api-heading"
          className="rounded-xl border border-gray-200 bg-white p-5 shadow-sm"
        >
          <h2 id="api-heading" className="text-lg font-semibold">
            API keys
          </h2>
          <p className="mt-1 text-sm text-gray-600">
            Systems send values through the REST API with a key (
            <a
              href="/api/v1/openapi.json"
              className="font-medium text-indigo-700 hover:text-indigo-900"
            >
              OpenAPI document
            </a>
            ). A key acts as the admin who created it: it stops working when revoked or when that
            person is no longer an admin. Read keys only read; write keys also record values; keys
            that may change definitions also create and change KPIs, targets, links and owners.
          </p>
          <ApiKeysPanel orgSlug={ctx.org.slug} keys={keys} />
          <ApiExamples />
        </section>
      ) : null}
    </div>
  );
}
