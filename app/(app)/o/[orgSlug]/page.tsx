import type { Metadata } from 'next';
import type { ReactNode } from 'react';
import { MyTargetsPanel } from '@/components/checkins/my-targets-panel';
import { AttentionList } from '@/components/dashboards/attention-list';
import { CachedSection } from '@/components/dashboards/cached-section';
import { ClientLinks } from '@/components/dashboards/client-links';
import { KpiHealthCard } from '@/components/dashboards/kpi-health';
import { KpiScorecard } from '@/components/dashboards/kpi-scorecard';
import { LeadSection, NotReportedList, UnownedList } from '@/components/dashboards/lead-section';
import { NorthStarCards } from '@/components/dashboards/north-star-cards';
import { PeriodPicker } from '@/components/dashboards/period-picker';
import { SectionCard } from '@/components/dashboards/section-card';
import { StatusCountBar, UnitScorecards } from '@/components/dashboards/unit-scorecards';
import { can } from '@/lib/authz/can';
import { getDashboardView } from '@/lib/dal/dashboards/dashboard';
import { PeriodNotice } from '@/components/layout/period-notice';
import type { StatusCounts } from '@/lib/domain/dashboard/types';
import { kpiFilterQuery } from '@/lib/domain/kpi-filter';
import { dashboardViewQuery, parseDashboardView } from '@/lib/domain/view-params/dashboard';
import { getOrgPageDigest } from '@/lib/server/org-context';
import { FRAME_DIGEST_ATTRIBUTE } from '@/lib/server/page-cache';
import { requireOrgPage } from '@/lib/server/page-context';
import { formatDay } from '@/lib/domain/dates';

export const metadata: Metadata = { title: 'Dashboard' };

export default async function DashboardPage({
  params,
  searchParams,
}: {
  params: Promise<{ orgSlug: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const [{ orgSlug }, query] = await Promise.all([params, searchParams]);
  const ctx = await requireOrgPage(orgSlug);
  const { period, refused: periodRefused } = parseDashboardView(query, ctx.org);
  // Bounded lists with exact counts, from the per-org read model (cached by data version).
  const [{ dash, mine, soFar, health }, digest] = await Promise.all([
    getDashboardView(ctx, period),
    getOrgPageDigest(orgSlug),
  ]);
  // The frame this page is drawn from, for the proxy's page cache (lib/server/page-cache.ts).
  const frameMarker = <span hidden {...{ [FRAME_DIGEST_ATTRIBUTE]: digest }} />;
  const base = `/o/${ctx.org.slug}`;
  const explorer = `${base}/kpis`;
  // "See all" links read the explorer in the period the cards counted.
  const asOf = period.isCurrent ? undefined : period.asOf;

  if (dash.totals.kpis === 0) {
    return (
      <EmptyDashboard
        frameMarker={frameMarker}
        orgName={ctx.org.name}
        base={base}
        isAdmin={dash.isAdmin}
        hasUnits={dash.totals.departments > 0}
      />
    );
  }

  const canCreate = can(ctx, 'kpis.write') || ctx.actor.ledUnitIds.length > 0;
  // The server-only sections are rendered once per cached view (`dash`: same data version,
  // scope, period and day) and sent as HTML; the part names every other input they read.
  const part = (section: string) =>
    [section, ctx.org.slug, ctx.org.locale, period.key, period.isCurrent, period.asOf].join('|');

  // The page's links are plain <a> elements, routed in place by ClientLinks (one listener, no
  // next/link client component per link).
  return (
    <ClientLinks className="space-y-8">
      {frameMarker}
      {periodRefused ? <PeriodNotice label={period.label} /> : null}
      <div className="flex flex-wrap items-end justify-between gap-4">
        <div>
          <h1 className="text-2xl font-semibold">{ctx.org.name}</h1>
          <p className="mt-1 text-sm text-gray-600">
            {period.isCurrent
              ? `This period so far · ${period.label} (as of ${formatDay(period.asOf, ctx.org.locale)})`
              : `Where we stood · ${period.label} (complete)`}
          </p>
        </div>
        <PeriodPicker value={period.key} options={dash.options} />
      </div>

      {soFar ? <SoFarStrip base={base} soFar={soFar} /> : null}

      {dash.northStars.length > 0 ? (
        <section aria-labelledby="north-star-heading" className="space-y-3">
          <h2 id="north-star-heading" className="sr-only">
            North star
          </h2>
          <CachedSection data={dash} part={part('north-stars')}>
            <NorthStarCards
              locale={ctx.org.locale}
              orgSlug={ctx.org.slug}
              cards={dash.northStars}
              isCurrent={period.isCurrent}
            />
          </CachedSection>
        </section>
      ) : dash.isAdmin ? (
        <p className="rounded-xl border border-dashed border-indigo-300 bg-indigo-50 px-4 py-3 text-sm text-indigo-900">
          No north star yet. Mark the one to three company KPIs everything else should move as north
          stars (edit a company KPI in the{' '}
          <a href={`${base}/kpis`} className="font-medium underline">
            KPI explorer
          </a>
          ).
        </p>
      ) : null}

      {dash.admin ? (
        <section aria-labelledby="company-heading" className="space-y-4">
          <SectionHeading id="company-heading" title="Company overview">
            {canCreate ? (
              <a
                href={`${base}/kpis/new`}
                className="text-sm font-medium text-indigo-700 hover:text-indigo-900"
              >
                New KPI
              </a>
            ) : null}
          </SectionHeading>
          <div className="grid gap-4 lg:grid-cols-3 lg:items-start">
            <div className="space-y-4">
              <div className="rounded-xl border border-gray-200 bg-white p-4 shadow-sm">
                <h3 className="font-semibold text-gray-900">All team KPIs</h3>
                <p className="mb-3 text-xs text-gray-500">
                  {dash.admin.counts.total} KPIs · {dash.admin.unownedCount} without an owner
                </p>
                <StatusCountBar counts={dash.admin.counts} />
              </div>
              <SectionCard
                id="admin-not-reported"
                title={
                  period.isCurrent
                    ? 'Not reported yet this period'
                    : `Not reported in ${period.label}`
                }
                description="People with KPIs they record by hand and no value for the period."
              >
                <NotReportedList
                  orgSlug={ctx.org.slug}
                  items={dash.admin.notReported}
                  total={dash.admin.notReportedCount}
                  missingKpiCount={dash.admin.missingKpiCount}
                  seeAllHref={`${explorer}${kpiFilterQuery({ missing: true, asOf })}`}
                  remindOn={period.asOf}
                />
              </SectionCard>
              <SectionCard
                id="admin-unowned"
                title="KPIs without an owner"
                description="Assign someone to answer for each number."
              >
                <UnownedList
                  locale={ctx.org.locale}
                  orgSlug={ctx.org.slug}
                  kpis={dash.admin.unowned}
                  total={dash.admin.unownedCount}
                  seeAllHref={`${explorer}${kpiFilterQuery({ ownerUserId: 'none', kind: 'team', asOf })}`}
                  canAssign={dash.admin.peopleCount > 0}
                />
              </SectionCard>
            </div>
            <CachedSection data={dash} part={part('attention')} className="lg:col-span-2">
              <SectionCard
                id="attention"
                title="At risk and off track"
                description="Worst first, with who owns each one."
              >
                <AttentionList
                  locale={ctx.org.locale}
                  orgSlug={ctx.org.slug}
                  kpis={dash.admin.attention}
                  total={dash.admin.attentionCount}
                  seeAllHref={`${explorer}${kpiFilterQuery({ status: 'attention', asOf })}`}
                  isCurrent={period.isCurrent}
                />
              </SectionCard>
            </CachedSection>
          </div>
          <CachedSection data={dash} part={part('company-kpis')}>
            <SectionCard
              id="company-kpis"
              title="Company scorecard"
              description={`Company-level KPIs · ${period.label}`}
            >
              <KpiScorecard
                locale={ctx.org.locale}
                orgSlug={ctx.org.slug}
                kpis={dash.admin.companyKpis}
                total={dash.admin.companyKpiCount}
                seeAllHref={`${explorer}${kpiFilterQuery({
                  unitIds: dash.admin.companyKpis[0] ? [dash.admin.companyKpis[0].unitId] : [],
                  kind: 'team',
                  asOf,
                })}`}
                caption="Company KPIs"
                showUnit={false}
                emptyText="No company-level KPIs yet."
              />
            </SectionCard>
          </CachedSection>
          <div>
            <div className="mb-2 flex items-baseline justify-between">
              <h3 className="font-semibold text-gray-900">Departments</h3>
              {can(ctx, 'units.manage') ? (
                <a
                  href={`${base}/units`}
                  className="text-sm font-medium text-indigo-700 hover:text-indigo-900"
                >
                  Edit units
                </a>
              ) : null}
            </div>
            {dash.admin.units.length === 0 ? (
              <p className="rounded-xl border border-dashed border-gray-300 bg-white px-4 py-3 text-sm text-gray-600">
                No departments yet.{' '}
                <a
                  href={`${base}/units`}
                  className="font-medium text-indigo-700 hover:text-indigo-900"
                >
                  Add your first department
                </a>
                .
              </p>
            ) : (
              <CachedSection data={dash} part={part('units')}>
                <UnitScorecards
                  locale={ctx.org.locale}
                  orgSlug={ctx.org.slug}
                  scorecards={dash.admin.units}
                  total={dash.admin.unitCount}
                  asOf={asOf}
                />
              </CachedSection>
            )}
          </div>
        </section>
      ) : null}

      {dash.lead ? (
        <section aria-labelledby="lead-heading" className="space-y-4">
          <SectionHeading id="lead-heading" title="Your area" />
          <LeadSection
            part={part}
            locale={ctx.org.locale}
            orgSlug={ctx.org.slug}
            lead={dash.lead}
            periodLabel={period.label}
            isCurrent={period.isCurrent}
            asOf={asOf}
            remindOn={period.asOf}
          />
        </section>
      ) : null}

      {health ? (
        <KpiHealthCard
          orgSlug={ctx.org.slug}
          health={health}
          canManageSettings={can(ctx, 'settings.manage')}
        />
      ) : null}

      {mine ? (
        <section aria-labelledby="mine-heading" className="space-y-4">
          <SectionHeading
            id="mine-heading"
            title={`My work · ${mine.period.label}${mine.period.isCurrent ? ' so far' : ''}`}
          />
          <MyTargetsPanel
            orgSlug={ctx.org.slug}
            initial={mine}
            seeAllHref={`${explorer}${kpiFilterQuery({ ownerUserId: ctx.actor.userId })}`}
          />
        </section>
      ) : null}
    </ClientLinks>
  );
}

/**
 * "This period so far": the open period's counts next to the complete one the page leads with,
 * flows not graded yet counted as in progress; links to the open period.
 */
function SoFarStrip({
  base,
  soFar,
}: {
  base: string;
  soFar: { period: { key: string; label: string; asOf: string }; counts: StatusCounts };
}) {
  const c = soFar.counts;
  const parts = [
    [c.on_track, 'on track'],
    [c.at_risk, 'at risk'],
    [c.off_track, 'off track'],
    [c.in_progress, 'in progress'],
    [c.no_data, 'without data'],
  ] as const;
  return (
    <section
      aria-labelledby="so-far-heading"
      className="flex flex-wrap items-center justify-between gap-x-4 gap-y-2 rounded-xl border border-sky-200 bg-sky-50/60 px-4 py-3"
      data-testid="so-far"
    >
      <div className="min-w-0">
        <h2 id="so-far-heading" className="text-sm font-semibold text-gray-900">
          This period so far · {soFar.period.label}
        </h2>
        <p className="text-xs text-gray-600">
          As of {soFar.period.asOf}: {parts.map(([n, what]) => `${n} ${what}`).join(' · ')}. Flows
          are graded against pace once enough of the period has passed.
        </p>
      </div>
      <a
        href={`${base}${dashboardViewQuery({ period: soFar.period.key })}`}
        className="shrink-0 text-sm font-medium text-indigo-700 hover:text-indigo-900"
      >
        Open {soFar.period.label} →
      </a>
    </section>
  );
}

function SectionHeading({
  id,
  title,
  children,
}: {
  id: string;
  title: string;
  children?: ReactNode;
}) {
  return (
    <div className="flex items-baseline justify-between gap-2 border-b border-gray-200 pb-2">
      <h2 id={id} className="text-lg font-semibold text-gray-900">
        {title}
      </h2>
      {children}
    </div>
  );
}

function EmptyDashboard({
  frameMarker,
  orgName,
  base,
  isAdmin,
  hasUnits,
}: {
  frameMarker: ReactNode;
  orgName: string;
  base: string;
  isAdmin: boolean;
  hasUnits: boolean;
}) {
  const steps = [
    {
      title: 'Shape your organization',
      text: 'Add departments and teams under your company, and name a lead for each.',
      href: `${base}/units`,
      cta: hasUnits ? 'Edit units' : 'Add your first department',
    },
    {
      title: 'Set your north star',
      text: 'Create the one to three company KPIs everything else should move — for a SaaS, usually ARR or MRR.',
      href: `${base}/kpis/new?northStar=1`,
      cta: 'Create the north star',
    },
    {
      title: 'Cascade the KPIs',
      text: 'Link department, team and individual KPIs to their parents and pick how each rolls up.',
      href: `${base}/kpis`,
      cta: 'Open the KPI explorer',
    },
    {
      title: 'Invite your people',
      text: 'Give each KPI an owner. Owners check in values; the rollup does the rest.',
      href: `${base}/people`,
      cta: 'Invite people',
    },
  ];
  return (
    <ClientLinks className="space-y-6">
      {frameMarker}
      <div>
        <h1 className="text-2xl font-semibold">Welcome to {orgName}</h1>
        <p className="mt-1 text-sm text-gray-600">
          {isAdmin
            ? 'Your workspace is ready. Nothing is measured yet — here is what to do next.'
            : 'Nothing is measured here yet. Once your admins set up the KPIs, your targets and check-ins appear on this page.'}
        </p>
      </div>
      {isAdmin ? (
        <ol className="grid gap-4 sm:grid-cols-2">
          {steps.map((step, i) => (
            <li
              key={step.title}
              className="flex flex-col rounded-xl border border-gray-200 bg-white p-5 shadow-sm"
            >
              <span className="text-xs font-semibold uppercase tracking-wide text-indigo-600">
                Step {i + 1}
              </span>
              <h2 className="mt-1 font-semibold">{step.title}</h2>
              <p className="mt-1 flex-1 text-sm text-gray-600">{step.text}</p>
              <a
                href={step.href}
                className="mt-3 self-start rounded-md text-sm font-medium text-indigo-700 hover:text-indigo-900 focus-visible:outline focus-visible:outline-2 focus-visible:outline-indigo-600"
              >
                {step.cta} →
              </a>
            </li>
          ))}
        </ol>
      ) : null}
    </ClientLinks>
  );
}
