import { StatusDot } from '@/components/kpis/status-badge';
import { RemindButton } from '@/components/notifications/remind-button';
import type { LeadSection as LeadSectionData } from '@/lib/dal/dashboards/types';
import type { DashboardKpiDto, NotReported } from '@/lib/domain/dashboard/types';
import { kpiFilterQuery } from '@/lib/domain/kpi-filter';
import { AssignOwner } from './assign-owner';
import { CachedSection } from './cached-section';
import { KpiScorecard } from './kpi-scorecard';
import { SectionCard, SeeAll } from './section-card';
import { StatusCountBar } from './unit-scorecards';
import { valueText } from './display';

/** A unit lead's view: their subtree's KPIs, unowned KPIs (assignable here), their people. */
export function LeadSection({
  part,
  orgSlug,
  lead,
  periodLabel,
  isCurrent,
  asOf,
  remindOn,
  locale,
}: {
  /** The cache part of a section of this view (see CachedSection): its name and other inputs. */
  part: (section: string) => string;
  orgSlug: string;
  lead: LeadSectionData;
  periodLabel: string;
  isCurrent: boolean;
  /** The complete period's last day, for "see all" links (undefined: the open period). */
  asOf?: string;
  /** A day of the shown period: what "remind" is about. */
  remindOn: string;
  /** The organization's locale: numbers and dates are written its way. */
  locale: string;
}) {
  const unitNames = lead.ledUnits.map((u) => u.name).join(', ');
  const ledIds = lead.ledUnits.map((u) => u.id);
  const explorer = `/o/${orgSlug}/kpis`;
  const area = { unitIds: ledIds, subtree: true, kind: 'team', asOf } as const;
  return (
    <div className="space-y-4">
      <div className="grid gap-4 lg:grid-cols-3 lg:items-start">
        <div className="rounded-xl border border-gray-200 bg-white p-4 shadow-sm">
          <h3 className="font-semibold text-gray-900">{unitNames}</h3>
          <p className="mb-3 text-xs text-gray-500">
            {lead.counts.total} KPI{lead.counts.total === 1 ? '' : 's'} in your area ·{' '}
            {lead.peopleCount} people
          </p>
          <StatusCountBar counts={lead.counts} />
        </div>
        <div className="lg:col-span-2">
          <SectionCard
            id="not-reported"
            title={isCurrent ? 'Not reported yet this period' : `Not reported in ${periodLabel}`}
            description="People in your area with KPIs they record by hand and no value for the period."
          >
            <NotReportedList
              orgSlug={orgSlug}
              items={lead.notReported}
              total={lead.notReportedCount}
              missingKpiCount={lead.missingKpiCount}
              seeAllHref={`${explorer}${kpiFilterQuery({ homeUnitIds: ledIds, missing: true, asOf })}`}
              remindOn={remindOn}
            />
          </SectionCard>
        </div>
      </div>

      <CachedSection data={lead} part={part('lead-kpis')}>
        <SectionCard
          id="lead-kpis"
          title="KPIs in your area"
          description={`Department and team KPIs · ${periodLabel}`}
        >
          <KpiScorecard
            locale={locale}
            orgSlug={orgSlug}
            kpis={lead.kpis}
            total={lead.counts.total}
            seeAllHref={`${explorer}${kpiFilterQuery(area)}`}
            caption="KPIs in your area"
            emptyText="No KPIs in your area yet. Create the first one in the KPI explorer."
          />
        </SectionCard>
      </CachedSection>

      <SectionCard
        id="unowned"
        title="KPIs without an owner"
        description="Someone should answer for each number. Assign an owner from your area."
      >
        <UnownedList
          locale={locale}
          orgSlug={orgSlug}
          kpis={lead.unowned}
          total={lead.unownedCount}
          seeAllHref={`${explorer}${kpiFilterQuery({ ...area, ownerUserId: 'none' })}`}
          canAssign={lead.peopleCount > 0}
        />
      </SectionCard>

      <CachedSection data={lead} part={part('people-kpis')}>
        <SectionCard
          id="people-kpis"
          title="Your people's individual KPIs"
          description={periodLabel}
        >
          <KpiScorecard
            locale={locale}
            orgSlug={orgSlug}
            kpis={lead.individual}
            total={lead.individualCount}
            seeAllHref={`${explorer}${kpiFilterQuery({ homeUnitIds: ledIds, kind: 'individual', asOf })}`}
            caption="Individual KPIs of your people"
            showUnit={false}
            emptyText="Nobody in your area has individual KPIs yet."
          />
        </SectionCard>
      </CachedSection>
    </div>
  );
}

/**
 * People with hand-recorded KPIs lacking a value for the period: the few with most missing, the
 * exact number of people and of KPIs, and the explorer filtered to every missing KPI. With
 * `remindOn` (a day of the shown period), each person gets a "remind" (the server checks who may
 * remind whom).
 */
export function NotReportedList({
  orgSlug,
  items,
  total,
  missingKpiCount,
  seeAllHref,
  remindOn,
}: {
  orgSlug: string;
  items: NotReported[];
  total: number;
  missingKpiCount: number;
  seeAllHref: string;
  remindOn?: string;
}) {
  if (items.length === 0)
    return <p className="px-4 py-6 text-sm text-gray-600">Everyone has reported. Nice.</p>;
  return (
    <>
      <ul className="divide-y divide-gray-100" aria-label="Not reported">
        {items.map(({ person, missing, missingCount, due }) => (
          <li
            key={person.userId}
            className="flex flex-wrap items-start gap-x-3 gap-y-1 px-4 py-2 text-sm"
            data-testid="not-reported"
          >
            <div className="min-w-0 flex-1">
              <p>
                <span className="font-medium text-gray-900">{person.name}</span>{' '}
                <span className="text-gray-500">
                  {`· ${person.homeUnitName} · ${missingCount} of ${due} missing`}
                </span>
              </p>
              <p className="text-xs text-gray-500">
                {missing.map((m, i) => (
                  <span key={m.id}>
                    {i > 0 ? ', ' : ''}
                    <a href={`/o/${orgSlug}/kpis/${m.id}`} className="hover:text-indigo-700">
                      {m.name}
                    </a>
                  </span>
                ))}
                {missingCount > missing.length ? ` and ${missingCount - missing.length} more` : ''}
              </p>
            </div>
            {remindOn ? (
              <RemindButton
                orgSlug={orgSlug}
                ownerName={person.name}
                input={{ ownerUserId: person.userId, on: remindOn }}
              />
            ) : null}
          </li>
        ))}
      </ul>
      {total > items.length ? (
        <p
          className="border-t border-gray-100 px-4 py-2 text-sm text-gray-600"
          data-testid="see-all"
        >
          Showing {items.length} of <span className="tabular-nums">{total}</span> people (
          {missingKpiCount} KPIs without a value).{' '}
          <a href={seeAllHref} className="font-medium text-indigo-700 hover:text-indigo-900">
            See all {missingKpiCount} KPIs
          </a>
        </p>
      ) : null}
    </>
  );
}

/** KPIs without an owner, each with an in-place owner picker (the first few of `total`). */
export function UnownedList({
  orgSlug,
  kpis,
  total,
  seeAllHref,
  canAssign,
  locale,
}: {
  orgSlug: string;
  kpis: DashboardKpiDto[];
  total: number;
  seeAllHref: string;
  canAssign: boolean;
  /** The organization's locale: numbers and dates are written its way. */
  locale: string;
}) {
  if (kpis.length === 0)
    return <p className="px-4 py-6 text-sm text-gray-600">Every KPI has an owner.</p>;
  return (
    <>
      <ul className="divide-y divide-gray-100" aria-label="KPIs without an owner">
        {kpis.map((kpi) => (
          <li
            key={kpi.id}
            className="flex flex-wrap items-center justify-between gap-2 px-4 py-2 text-sm"
            data-testid="unowned-kpi"
          >
            <div className="flex min-w-0 items-center gap-2">
              <StatusDot status={kpi.view.status} pace={kpi.view.paceProgress} locale={locale} />
              <div className="min-w-0">
                <a
                  href={`/o/${orgSlug}/kpis/${kpi.id}`}
                  className="font-medium text-gray-900 hover:text-indigo-700"
                >
                  {kpi.name}
                </a>
                <p className="text-xs text-gray-500">
                  {`${kpi.unitName} · ${valueText(kpi, kpi.view.value, locale)}`}
                </p>
              </div>
            </div>
            {canAssign ? (
              <AssignOwner orgSlug={orgSlug} kpiId={kpi.id} kpiName={kpi.name} />
            ) : (
              <span className="text-xs text-gray-500">
                Nobody has a home unit in your area yet.
              </span>
            )}
          </li>
        ))}
      </ul>
      <SeeAll shown={kpis.length} total={total} href={seeAllHref} noun="without an owner" />
    </>
  );
}
