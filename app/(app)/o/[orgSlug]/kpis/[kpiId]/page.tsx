import { KpiKindBadges } from '@/components/kpis/kpi-kind-badges';
import type { Metadata } from 'next';
import { coverageText } from '@/lib/domain/period-coverage';
import { WorkspaceLink } from '@/components/layout/workspace-link';
import { notFound } from 'next/navigation';
import { ActualVsTargetChart, axisUnit } from '@/components/charts/actual-vs-target-chart';
import { ExplorableChart } from '@/components/charts/actual-vs-target-explore';
import { AttributionSection } from '@/components/forecasts/attribution-section';
import { LeadingSection } from '@/components/forecasts/leading-section';
import { ProjectionSection } from '@/components/forecasts/projection-section';
import { CheckinForm } from '@/components/checkins/checkin-form';
import { CheckinHistory } from '@/components/checkins/checkin-history';
import { KpiHistoryList } from '@/components/history/history-entries';
import { CommentaryPanel } from '@/components/reports/commentary-panel';
import { ProgressBar } from '@/components/kpis/progress-bar';
import { SmartChecklist } from '@/components/kpis/smart-checklist';
import { StatusBadge } from '@/components/kpis/status-badge';
import { can } from '@/lib/authz/can';
import { listHistory } from '@/lib/dal/audit-history';
import { getCommentaryPanel } from '@/lib/dal/commentaries';
import { listTargetOverrides, toLinkCandidate } from '@/lib/dal/kpis/editor-options';
import { smartCheckOfDetail } from '@/lib/domain/kpi-smart-check';
import { getKpiDetail, type KpiDetail } from '@/lib/dal/kpis/detail';
import { explainFormulaKpi } from '@/lib/dal/kpis/formula-explanation';
import { getKpiSqlPull } from '@/lib/dal/sql-sources/pulls';
import { listSqlSources } from '@/lib/dal/sql-sources/sources';
import { getKpiTargetPlanning } from '@/lib/dal/kpis/target-planning';
import { todayInTimeZone } from '@/lib/domain/dates';
import { normalizeDecimal } from '@/lib/domain/decimal';
import { formatProgress, formatValue } from '@/lib/domain/format';
import { actualVsTargetPoints } from '@/lib/domain/kpi-chart';
import {
  isOpenPeriod,
  nextPeriodStart,
  periodLabel,
  periodStart,
  previousPeriodStart,
} from '@/lib/domain/periods';
import { AppError } from '@/lib/errors';
import { requireOrgPage } from '@/lib/server/page-context';
import { FormulaExplanationView } from '../_components/formula-explanation';
import type { KpiFormValues } from '../_components/kpi-form';
import { KpiEditSection } from '../_components/kpi-edit-section';
import { SqlPullPanel } from '../_components/sql-pull-panel';
import type { TargetPeriod } from '../_components/target-editor';
import { TargetPlanningSection } from '../_components/target-planning-section';

export const metadata: Metadata = { title: 'KPI' };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const ROLLUP_TEXT: Record<string, string> = {
  manual: 'Recorded directly',
  sum: 'Sum of its children',
  average: 'Average of its children',
  weighted_average: 'Weighted average of its children',
  min: 'Lowest of its children',
  max: 'Highest of its children',
  formula: 'Formula over other KPIs',
};

export default async function KpiDetailPage({
  params,
}: {
  params: Promise<{ orgSlug: string; kpiId: string }>;
}) {
  const { orgSlug, kpiId } = await params;
  const ctx = await requireOrgPage(orgSlug);
  const locale = ctx.org.locale;
  if (!UUID.test(kpiId)) notFound();
  const kpi = await getKpiDetail(ctx, kpiId).catch((error: unknown) => {
    if (error instanceof AppError && error.code === 'NOT_FOUND') notFound();
    throw error;
  });
  // Its history of changes: admins, its owner and the leads above it (others see none).
  const [commentary, history] = await Promise.all([
    getCommentaryPanel(ctx, kpi.id),
    can(ctx, 'history.read', {
      unitId: kpi.unitId,
      ownerUserId: kpi.ownerUserId,
      isIndividual: kpi.isIndividual,
      ownerHomeUnitId: kpi.ownerHomeUnitId,
    })
      ? listHistory(ctx, { kpi: kpi.id, limit: 20 })
      : null,
  ]);
  const fmt = (v: string | null) => formatValue(v, kpi, locale);
  const suffix =
    kpi.measureUnit === 'percent' ? '%' : kpi.measureUnit === 'currency' ? ` ${kpi.currency}` : '';
  const chart = actualVsTargetPoints(kpi.history, kpi.existsFrom);
  const chartMeasure = {
    measureUnit: kpi.measureUnit,
    currency: kpi.currency,
    decimals: kpi.decimals,
  };
  const current = kpi.current;

  // What this person may change here (the server checks every action again).
  const today = todayInTimeZone(ctx.org.timeZone);
  // A flow's open period is the period so far (said under the chart).
  const partialPeriod =
    kpi.timeAggregation === 'sum' && isOpenPeriod(current.start, kpi.cadence, today)
      ? current.label
      : null;
  const target = {
    unitId: kpi.unitId,
    ownerUserId: kpi.ownerUserId,
    isIndividual: kpi.isIndividual,
    ownerHomeUnitId: kpi.ownerHomeUnitId,
  };
  const active = !kpi.archivedOn;
  const canCheckin =
    active &&
    kpi.rollup === 'manual' &&
    can(ctx, 'checkins.write', { unitId: kpi.unitId, ownerUserId: kpi.ownerUserId });
  const canEditKpi = active && can(ctx, 'kpis.write', target);
  const canTargets = active && can(ctx, 'targets.write', target);
  // A pull from a SQL source: for KPIs recorded by hand, by whoever may edit the definition.
  const canPull = canEditKpi && kpi.rollup === 'manual';
  // The edit form's options (units, people, every KPI it may link to) load when it is opened.
  const [overrides, explanation, sqlSources, sqlPull] = await Promise.all([
    canEditKpi && canTargets ? listTargetOverrides(ctx, kpi.id) : null,
    kpi.formula !== null ? explainFormulaKpi(ctx, kpi, current.start) : null,
    canPull ? listSqlSources(ctx, target) : null,
    canPull ? getKpiSqlPull(ctx, kpi.id) : null,
  ]);
  const planning = active
    ? await getKpiTargetPlanning(ctx, kpi, today, canTargets && kpi.cadence !== 'year')
    : null;
  // The SMART check, with each gap linked to the control that fixes it (where this person may).
  const smart = active ? smartCheckOfDetail(kpi) : null;
  const fixHref = {
    ...(canEditKpi
      ? {
          description: '#kpi-description',
          measure: '#kpi-measure',
          cadence: '#kpi-cadence',
          owner: '#kpi-owner',
          target: '#kpi-default-target',
          parent: '#kpi-parent',
          children: `/o/${ctx.org.slug}/kpis`,
        }
      : {}),
    ...(canCheckin ? { checkin: '#record-checkin' } : {}),
  };

  return (
    <div className="space-y-6">
      <nav className="text-sm text-gray-500" aria-label="Breadcrumb">
        <WorkspaceLink href={`/o/${ctx.org.slug}/kpis`} className="hover:text-gray-800">
          KPIs
        </WorkspaceLink>
        {kpi.parent ? (
          <>
            {' / '}
            <WorkspaceLink href={`/o/${ctx.org.slug}/kpis/${kpi.parent.id}`} className="hover:text-gray-800">
              {kpi.parent.name}
            </WorkspaceLink>
          </>
        ) : null}
      </nav>

      <header className="flex flex-wrap items-start justify-between gap-4">
        <div>
          <h1 className="text-2xl font-semibold">
            {kpi.isNorthStar ? (
              <span className="mr-1 text-amber-500" title="North star">
                ★
              </span>
            ) : null}
            {kpi.name}
          </h1>
          <KpiKindBadges category={kpi.category} indicator={kpi.indicator} className="mt-1" />
          <p className="mt-1 text-sm text-gray-600">
            {kpi.unitName} · {kpi.ownerName ?? 'No owner'} ·{' '}
            {kpi.cadence === 'month'
              ? 'Monthly'
              : kpi.cadence === 'quarter'
                ? 'Quarterly'
                : 'Yearly'}{' '}
            · {kpi.direction === 'increase' ? 'Higher is better' : 'Lower is better'} ·{' '}
            {ROLLUP_TEXT[kpi.rollup]}
            {kpi.key ? (
              <>
                {' '}
                · <code className="text-xs">{kpi.key}</code>
              </>
            ) : null}
          </p>
          {kpi.description ? (
            <p className="mt-2 max-w-3xl text-sm text-gray-700">{kpi.description}</p>
          ) : null}
        </div>
        <StatusBadge status={current.status} pace={current.paceProgress} locale={locale} />
      </header>

      <section className="grid gap-4 sm:grid-cols-3" aria-label="Current period">
        <Stat label={`Actual · ${current.label}`} value={fmt(current.value)} />
        <Stat
          label={current.targetImplied ? 'Target · implied by its inputs' : 'Target'}
          value={fmt(current.target)}
          sub={
            current.paceProgress !== null &&
            current.target !== null &&
            kpi.timeAggregation === 'sum'
              ? `On pace: ${formatProgress(current.paceProgress, locale)}`
              : undefined
          }
        />
        <div className="rounded-xl border border-gray-200 bg-white p-4 shadow-sm">
          <p className="text-xs font-medium uppercase tracking-wide text-gray-500">% of target</p>
          <div className="mt-3">
            <ProgressBar locale={locale} share={current.share} status={current.status} />
          </div>
          {coverageText(kpi, current) ? (
            <p className="mt-2 text-xs text-gray-500" data-testid="kpi-coverage">
              {coverageText(kpi, current)}
            </p>
          ) : null}
        </div>
      </section>

      {/* Recording comes first for those who may: above the chart and the history, on a phone too. */}
      {canCheckin ? (
        <section
          id="record-checkin"
          tabIndex={-1}
          aria-labelledby="record-heading"
          className="rounded-xl border border-gray-200 bg-white shadow-sm focus:outline-none"
        >
          <h2 id="record-heading" className="border-b border-gray-200 px-4 py-3 font-semibold">
            Record a value
          </h2>
          <CheckinForm
            orgSlug={ctx.org.slug}
            kpiId={kpi.id}
            today={today}
            unitSuffix={suffix}
            timeAggregation={kpi.timeAggregation}
            readings={kpi.checkins.map(({ id, observedOn, value, version }) => ({
              id,
              observedOn,
              value,
              version,
            }))}
            measure={{
              measureUnit: kpi.measureUnit,
              currency: kpi.currency,
              decimals: kpi.decimals,
            }}
          />
        </section>
      ) : null}

      {active ? (
        <ProjectionSection
          ctx={ctx}
          kpiId={kpi.id}
          unit={{ measureUnit: kpi.measureUnit, currency: kpi.currency, decimals: kpi.decimals }}
        />
      ) : null}

      {smart ? <SmartChecklist result={smart} fixHref={fixHref} /> : null}

      <section className="rounded-xl border border-gray-200 bg-white p-4 shadow-sm">
        <ExplorableChart
          title="Actual vs target"
          chart={
            <ActualVsTargetChart
              locale={locale}
              data={chart}
              timeAggregation={kpi.timeAggregation}
              measure={chartMeasure}
              partialPeriod={partialPeriod}
            />
          }
          explorer={{
            locale,
            data: chart,
            timeAggregation: kpi.timeAggregation,
            unit: axisUnit(kpi.measureUnit, kpi.currency),
            decimals: kpi.decimals,
            partialPeriod,
          }}
        />
      </section>

      <CommentaryPanel
        orgSlug={ctx.org.slug}
        kpiId={kpi.id}
        revisions={commentary.revisions}
        periods={commentary.periods}
        canWrite={commentary.canWrite}
        today={today}
      />

      {kpi.rollup !== 'manual' || kpi.children.length > 0 ? (
        <section className="rounded-xl border border-gray-200 bg-white shadow-sm">
          <h2 className="border-b border-gray-200 px-4 py-3 font-semibold">
            This number ={' '}
            {kpi.formula !== null ? (
              <code className="break-all font-mono text-sm font-normal" data-testid="kpi-formula">
                {kpi.formula}
              </code>
            ) : (
              ROLLUP_TEXT[kpi.rollup]?.toLowerCase()
            )}
          </h2>
          {kpi.formula !== null ? (
            <p className="border-b border-gray-100 px-4 py-2 text-xs text-gray-500">
              Computed from its inputs in each period, in exact decimals
              {kpi.baseline !== null
                ? `; before its first value, prev() starts from ${formatValue(kpi.baseline, kpi, locale)}`
                : ''}
              .{kpi.children.length > 0 ? ' The KPIs below are aligned to it.' : ''}
            </p>
          ) : null}
          {kpi.formula !== null && explanation ? (
            <FormulaExplanationView
              locale={locale}
              orgSlug={ctx.org.slug}
              formula={kpi.formula}
              explanation={explanation}
              self={kpi}
            />
          ) : null}
          {kpi.children.length === 0 ? (
            <p className="p-4 text-sm text-gray-600">No KPIs are linked to this one yet.</p>
          ) : (
            <table className="w-full text-sm">
              <thead className="text-left text-xs uppercase tracking-wide text-gray-500">
                <tr>
                  <th className="px-4 py-2">KPI</th>
                  <th className="px-4 py-2 text-right">Value</th>
                  {kpi.rollup === 'weighted_average' ? (
                    <th className="px-4 py-2 text-right">Weight</th>
                  ) : null}
                  <th className="px-4 py-2 text-right">Share</th>
                </tr>
              </thead>
              <tbody>
                {kpi.children.map((child) => (
                  <tr key={child.id} className="border-t border-gray-100">
                    <td className="px-4 py-2">
                      <WorkspaceLink
                        href={`/o/${ctx.org.slug}/kpis/${child.id}`}
                        className="font-medium text-gray-900 hover:text-indigo-700"
                      >
                        {child.name}
                      </WorkspaceLink>
                      <p className="text-xs text-gray-500">
                        {child.unitName} · {child.current.label}
                        {child.archivedOn ? ` · archived ${child.archivedOn}` : ''}
                      </p>
                    </td>
                    <td className="whitespace-nowrap px-4 py-2 text-right tabular-nums">
                      {formatValue(child.current.value, child, locale)}
                    </td>
                    {kpi.rollup === 'weighted_average' ? (
                      <td className="px-4 py-2 text-right tabular-nums">{child.weight}</td>
                    ) : null}
                    <td className="px-4 py-2 text-right tabular-nums">
                      {child.share === null ? '—' : formatProgress(child.share, locale)}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </section>
      ) : null}

      {kpi.rollup !== 'manual' ? (
        <AttributionSection
          ctx={ctx}
          kpiId={kpi.id}
          start={previousPeriodStart(current.start, kpi.cadence)}
        />
      ) : null}

      <LeadingSection ctx={ctx} kpiId={kpi.id} canLink={canEditKpi} />

      {planning ? (
        <TargetPlanningSection
          locale={locale}
          ctx={ctx}
          kpi={kpi}
          canTargets={canTargets}
          planning={planning}
        />
      ) : null}

      <div className="grid gap-6 lg:grid-cols-2">
        <section className="rounded-xl border border-gray-200 bg-white shadow-sm">
          <h2 className="border-b border-gray-200 px-4 py-3 font-semibold">Check-ins</h2>
          {canCheckin ? null : kpi.rollup !== 'manual' ? (
            <p className="border-b border-gray-200 px-4 py-2 text-xs text-gray-500">
              {kpi.formula !== null
                ? 'This value is computed by its formula; record values on its inputs.'
                : 'This value is computed from the KPIs linked under it; record values on those.'}
            </p>
          ) : null}
          <CheckinHistory
            orgSlug={ctx.org.slug}
            items={kpi.checkins}
            measure={{
              measureUnit: kpi.measureUnit,
              currency: kpi.currency,
              decimals: kpi.decimals,
            }}
            canEdit={canCheckin}
            today={today}
          />
        </section>
        {history ? (
          <section
            className="rounded-xl border border-gray-200 bg-white shadow-sm"
            aria-labelledby="changes-heading"
          >
            <div className="flex items-baseline justify-between gap-2 border-b border-gray-200 px-4 py-3">
              <h2 id="changes-heading" className="font-semibold">
                History
              </h2>
              {can(ctx, 'history.read_all') ? (
                <WorkspaceLink
                  href={`/o/${ctx.org.slug}/history?kpi=${kpi.id}`}
                  className="text-sm text-indigo-700 hover:underline"
                >
                  See all
                </WorkspaceLink>
              ) : null}
            </div>
            {history.entries.length === 0 ? (
              <p className="p-4 text-sm text-gray-600">No changes recorded.</p>
            ) : (
              <KpiHistoryList
                locale={locale}
                entries={history.entries}
                timeZone={ctx.org.timeZone}
              />
            )}
          </section>
        ) : null}
      </div>

      {sqlSources ? (
        <section
          id="sql-pull"
          className="rounded-xl border border-gray-200 bg-white shadow-sm"
          aria-labelledby="sql-pull-heading"
        >
          <h2 id="sql-pull-heading" className="border-b border-gray-200 px-4 py-3 font-semibold">
            Pull from a SQL source
          </h2>
          <SqlPullPanel
            orgSlug={ctx.org.slug}
            kpiId={kpi.id}
            sources={sqlSources.map(({ id, name, host, database }) => ({
              id,
              name,
              host,
              database,
            }))}
            pull={sqlPull ?? null}
            timeZone={ctx.org.timeZone}
            settingsHref={
              can(ctx, 'settings.manage') ? `/o/${ctx.org.slug}/settings/sql-sources` : null
            }
          />
        </section>
      ) : null}

      {canEditKpi ? (
        <KpiEditSection
          orgSlug={ctx.org.slug}
          kpiId={kpi.id}
          kpiName={kpi.name}
          version={kpi.version}
          initial={formValues(kpi)}
          self={kpi.archivedOn ? null : toLinkCandidate(kpi)}
          chosen={{
            parent: kpi.parent,
            owner:
              kpi.ownerUserId && kpi.ownerName
                ? { userId: kpi.ownerUserId, name: kpi.ownerName }
                : null,
          }}
          targets={
            canTargets && overrides
              ? {
                  periods: targetPeriods(kpi, overrides, ctx.org.fyStartMonth, today, locale),
                  windowStart: targetWindowStart(kpi, ctx.org.fyStartMonth, today),
                  defaultTarget:
                    kpi.defaultTarget === null ? null : normalizeDecimal(kpi.defaultTarget),
                  unitSuffix: suffix,
                }
              : undefined
          }
        />
      ) : null}
    </div>
  );
}

/** Every field of the KPI as the edit form holds it. */
function formValues(kpi: KpiDetail): KpiFormValues {
  const dec = (v: string | null) => (v === null ? '' : normalizeDecimal(v));
  return {
    name: kpi.name,
    key: kpi.key ?? '',
    description: kpi.description,
    unitId: kpi.unitId,
    ownerUserId: kpi.ownerUserId ?? '',
    parentId: kpi.parentId ?? '',
    isIndividual: kpi.isIndividual,
    measureUnit: kpi.measureUnit,
    currency: kpi.currency ?? '',
    decimals: String(kpi.decimals),
    direction: kpi.direction,
    cadence: kpi.cadence,
    timeAggregation: kpi.timeAggregation,
    rollup: kpi.rollup,
    formula: kpi.formula ?? '',
    missingPolicy: kpi.missingPolicy,
    weight: dec(kpi.weight),
    baseline: dec(kpi.baseline),
    defaultTarget: dec(kpi.defaultTarget),
    validMin: dec(kpi.validMin),
    validMax: dec(kpi.validMax),
    category: kpi.category,
    indicator: kpi.indicator,
    isNorthStar: kpi.isNorthStar,
  };
}

const TARGET_WINDOW = { month: [3, 8], quarter: [2, 5], year: [1, 2] } as const;

function targetWindowStart(kpi: KpiDetail, fyStartMonth: number, today: string): string {
  let s = periodStart(today, kpi.cadence, fyStartMonth);
  for (let i = 0; i < TARGET_WINDOW[kpi.cadence][0]; i += 1)
    s = previousPeriodStart(s, kpi.cadence);
  return s;
}

/** Recent and coming periods of the KPI's cadence, plus any period with an override. */
function targetPeriods(
  kpi: KpiDetail,
  overrides: { periodStart: string; target: string }[],
  fyStartMonth: number,
  today: string,
  locale: string,
): TargetPeriod[] {
  const current = periodStart(today, kpi.cadence, fyStartMonth);
  const [back, ahead] = TARGET_WINDOW[kpi.cadence];
  const starts = new Set<string>([current]);
  let s = current;
  for (let i = 0; i < back; i += 1) starts.add((s = previousPeriodStart(s, kpi.cadence)));
  s = current;
  for (let i = 0; i < ahead; i += 1) starts.add((s = nextPeriodStart(s, kpi.cadence)));
  const byStart = new Map(overrides.map((o) => [o.periodStart, o.target]));
  for (const o of overrides) {
    if (periodStart(o.periodStart, kpi.cadence, fyStartMonth) === o.periodStart)
      starts.add(o.periodStart);
  }
  return [...starts].sort().map((start) => ({
    start,
    label: periodLabel(start, kpi.cadence, fyStartMonth, locale),
    override: byStart.get(start) ?? null,
    isCurrent: start === current,
  }));
}

function Stat({ label, value, sub }: { label: string; value: string; sub?: string }) {
  return (
    <div className="rounded-xl border border-gray-200 bg-white p-4 shadow-sm">
      <p className="text-xs font-medium uppercase tracking-wide text-gray-500">{label}</p>
      <p className="mt-1 text-2xl font-semibold tabular-nums">{value}</p>
      {sub ? <p className="mt-1 text-xs text-gray-500">{sub}</p> : null}
    </div>
  );
}
