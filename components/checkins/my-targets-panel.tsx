import Link from 'next/link';
import { ProgressBar } from '@/components/kpis/progress-bar';
import { ProjectedLine } from '@/components/dashboards/projected-end';
import { SeeAll } from '@/components/dashboards/section-card';
import { StatusBadge } from '@/components/kpis/status-badge';
import type { MyDashboardDto, MyTargetDto } from '@/lib/domain/dashboard/my-dashboard';
import { formatDay } from '@/lib/domain/dates';
import { formatProgress, formatValue } from '@/lib/domain/format';
import { CheckinDrafts, TargetItem, TargetValue } from './checkin-drafts';
import { CheckinsDueForm } from './checkins-due-form';

/**
 * The member's targets for the selected period and, for the current one, every check-in due on
 * one screen. Rendered on the server: the browser runs only the check-in form and the two small
 * islands that show a pending save's values in the target rows (checkin-drafts.tsx). A save's
 * response carries the page's new render, so the values and projections follow every save.
 */
export function MyTargetsPanel({
  orgSlug,
  locale,
  mine,
  showTargets = true,
  seeAllHref,
}: {
  orgSlug: string;
  locale: string;
  mine: MyDashboardDto;
  showTargets?: boolean;
  /** The explorer filtered to all my KPIs, when there are more than the panel lists. */
  seeAllHref?: string;
}) {
  return (
    <CheckinDrafts>
      <div className="space-y-6">
        {showTargets ? (
          <section
            aria-labelledby="my-targets-heading"
            className="rounded-xl border border-gray-200 bg-white shadow-sm"
          >
            <div className="border-b border-gray-200 px-4 py-3">
              <h3 id="my-targets-heading" className="font-semibold text-gray-900">
                My targets
              </h3>
              <p className="mt-0.5 text-xs text-gray-500">
                {mine.period.label} · how each one feeds the north star
              </p>
            </div>
            {mine.targets.length === 0 ? (
              <p className="px-4 py-6 text-sm text-gray-600">
                You do not own any KPIs yet. Your lead assigns them; once they do, your targets show
                up here.
              </p>
            ) : (
              <ul className="divide-y divide-gray-100" aria-label="My targets">
                {mine.targets.map((t) => (
                  <TargetRow key={t.kpiId} orgSlug={orgSlug} target={t} locale={locale} />
                ))}
              </ul>
            )}
            {seeAllHref ? (
              <SeeAll
                shown={mine.targets.length}
                total={mine.targetCount}
                href={seeAllHref}
                noun="of my KPIs"
              />
            ) : null}
          </section>
        ) : null}

        {mine.period.isCurrent ? (
          <section
            aria-labelledby="checkins-heading"
            className="rounded-xl border border-gray-200 bg-white shadow-sm"
          >
            <div className="border-b border-gray-200 px-4 py-3">
              <h3 id="checkins-heading" className="font-semibold text-gray-900">
                Check-ins due
              </h3>
              <p className="mt-1 text-sm font-medium text-gray-900" data-testid="checkin-date">
                Readings are dated {formatDay(mine.today, locale)}
              </p>
              <p className="mt-0.5 text-xs text-gray-500">
                Each value you save is a new reading; earlier ones are kept. For flows, type the
                amount to add to the period&apos;s total. Save them all at once.
              </p>
            </div>
            {mine.checkins.length === 0 ? (
              <p className="px-4 py-6 text-sm text-gray-600">
                Nothing to record: none of your KPIs is entered by hand.
              </p>
            ) : (
              <CheckinsDueForm orgSlug={orgSlug} today={mine.today} rows={mine.checkins} />
            )}
          </section>
        ) : (
          <p className="rounded-xl border border-dashed border-gray-300 bg-white px-4 py-3 text-sm text-gray-600">
            You are looking at a past period. Check-ins are recorded for the current one.
          </p>
        )}
      </div>
    </CheckinDrafts>
  );
}

function TargetRow({
  orgSlug,
  target: t,
  locale,
}: {
  orgSlug: string;
  target: MyTargetDto;
  locale: string;
}) {
  return (
    <TargetItem
      kpiId={t.kpiId}
      className="grid gap-x-6 gap-y-2 px-4 py-3 md:grid-cols-[minmax(0,1fr)_15rem_19rem] md:items-center"
    >
      <div className="min-w-0">
        <div className="flex items-start justify-between gap-2 md:block">
          <Link
            href={`/o/${orgSlug}/kpis/${t.kpiId}`}
            className="font-medium text-gray-900 hover:text-indigo-700"
          >
            {t.name}
          </Link>
          <span className="shrink-0 md:hidden">
            <StatusBadge status={t.status} pace={t.paceProgress} locale={locale} />
          </span>
        </div>
        <p className="text-xs text-gray-500">
          {t.unitName} · {t.periodLabel}
          {t.isIndividual ? ' · personal' : ''}
          {t.coverage ? ` · ${t.coverage}` : ''}
        </p>
        {t.line.length > 0 ? (
          <p className="mt-1 text-xs text-gray-500">
            <span className="sr-only">Feeds into: </span>
            {t.line.map((step, i) => (
              <span key={step.id}>
                <span aria-hidden>{i === 0 ? '↳ ' : ' → '}</span>
                <Link href={`/o/${orgSlug}/kpis/${step.id}`} className="hover:text-indigo-700">
                  {step.isNorthStar ? <span className="text-amber-500">★ </span> : null}
                  {step.name}
                </Link>
              </span>
            ))}
          </p>
        ) : null}
        {/* the dashboard's projection of the period, its phrase and icon; moves after a save */}
        <ProjectedLine kpi={t.measure} projected={t.projected} locale={locale} className="mt-1" />
      </div>
      <p className="text-sm tabular-nums text-gray-900 md:text-right">
        <TargetValue kpiId={t.kpiId} periodLabel={t.periodLabel}>
          {formatValue(t.value, t.measure, locale)}
        </TargetValue>{' '}
        <span className="whitespace-nowrap text-gray-500">
          of {formatValue(t.target, t.measure, locale)}
        </span>
      </p>
      <div className="flex items-center gap-3">
        <div className="min-w-0 flex-1">
          <ProgressBar
            locale={locale}
            share={t.share}
            status={t.status}
            label={`${t.name}, % of target`}
          />
          {t.showPace ? (
            <p className="mt-0.5 text-[11px] text-gray-500">
              Pace {formatProgress(t.paceProgress, locale)} of plan to date
            </p>
          ) : null}
        </div>
        <span className="hidden shrink-0 md:inline">
          <StatusBadge status={t.status} pace={t.paceProgress} locale={locale} />
        </span>
      </div>
    </TargetItem>
  );
}
