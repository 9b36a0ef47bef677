import { coverageText } from '@/lib/domain/period-coverage';
import {
  listPeriodOptions,
  resolveDashboardPeriod,
  type DashboardPeriod,
  type PeriodOption,
} from '@/lib/domain/dashboard/periods';
import { countByStatus, isMissing } from '@/lib/domain/dashboard/sections';
import { addDays, todayInTimeZone } from '@/lib/domain/dates';
import { orgThresholds } from '@/lib/domain/kpi-summary';
import { comparisonFor } from '@/lib/domain/like-for-like';
import { cadenceMonths, previousPeriodStart } from '@/lib/domain/periods';
import { evaluatePeriod } from '@/lib/domain/progress';
import {
  commentarySpan,
  spansWindow,
  turnedGreen,
  turnedRed,
  valueChange,
} from '@/lib/domain/report';
import { inTreeOrder, subtreeIds } from '@/lib/domain/tree';
import { notFoundError } from '@/lib/errors';
import type { OrgContext } from '@/lib/server/org-context';
import { listLatestCommentaries } from '@/lib/dal/commentaries';
import { dashboardKpisOver } from '@/lib/dal/dashboards/period-views';
import type { DashboardKpi } from '@/lib/dal/dashboards/types';
import { listUnitRefs } from '@/lib/dal/units/refs';
import type { Report, ReportRef, ReportRow, ReportScopeOption, ReportSection } from './types';
import { loadValuesToDate } from './values-to-date';

/*
 * The period report: for a scope (the company or a unit's subtree) and a dashboard period, every
 * KPI the actor may see with target, actual, progress, status, the change since the previous
 * period, a trend and its latest commentary. The numbers are the dashboard's own (dashboardKpisOver
 * for each period), so a report can never disagree with the dashboard. Reports are plain JSON:
 * a share link stores one, frozen, as its snapshot.
 */

const TREND_PERIODS = 6;

/** Scopes a report can cover: the company and every active unit, in tree order. */
export async function listReportScopes(ctx: OrgContext): Promise<ReportScopeOption[]> {
  return inTreeOrder(await listUnitRefs(ctx)).map((u) => ({
    key: u.kind === 'company' ? 'company' : u.id,
    name: u.name,
    kind: u.kind,
    depth: u.depth,
  }));
}

/** Periods a report can cover: the dashboard's. */
export function listReportPeriods(ctx: OrgContext): PeriodOption[] {
  return listPeriodOptions(ctx.org);
}

function previousPeriod(period: DashboardPeriod, ctx: OrgContext, today: string): DashboardPeriod {
  return resolveDashboardPeriod(
    `${period.cadence}-${previousPeriodStart(period.start, period.cadence)}`,
    ctx.org,
    today,
  );
}

/**
 * The report for a scope (`company`, or a unit id of the org: another org's or a missing one is
 * NOT_FOUND) and a period. Tenant: ctx.org. Visibility: the actor's, as on the dashboard
 * (individual KPIs only to the person, leads above them and admins); `includeIndividual: false`
 * leaves them out altogether (share snapshots, e-mailed reports). `today`: the org's local date
 * the report is computed on (jobs pass their injected clock's; default: now).
 */
export async function getReport(
  ctx: OrgContext,
  input: {
    scope: string | null | undefined;
    period: DashboardPeriod;
    includeIndividual?: boolean;
    /**
     * How many periods each row's trend shows, the report's own last (at least 2: the change
     * reads the one before it). The report's TREND_PERIODS by default; a reader of the numbers
     * alone (the weekly digest) asks for 2 and so computes a third of the periods.
     */
    trendPeriods?: number;
    today?: string;
  },
): Promise<Report> {
  const today = input.today ?? todayInTimeZone(ctx.org.timeZone);
  const refs = await listUnitRefs(ctx);
  const ordered = inTreeOrder(refs);
  const root = ordered.find((u) => u.kind === 'company');
  const scopeKey = !input.scope || input.scope === 'company' ? 'company' : input.scope;
  const scopeUnit =
    scopeKey === 'company' ? root : ordered.find((u) => u.id === scopeKey && u.kind !== 'company');
  if (!scopeUnit) throw notFoundError();
  const inScope = subtreeIds(scopeUnit.id, new Map(refs.map((u) => [u.id, u.parentId])));

  const { period } = input;
  const periods: DashboardPeriod[] = [period];
  const trendPeriods = Math.max(2, input.trendPeriods ?? TREND_PERIODS);
  while (periods.length < trendPeriods) periods.unshift(previousPeriod(periods[0]!, ctx, today));
  // Only what the report shows is read and computed: without individual KPIs, theirs are left
  // out (most of a large organization's KPIs); a unit's report reads its subtree's KPIs and the
  // company unit's (where the north stars are, which every report leads with).
  const lists = await dashboardKpisOver(ctx, periods, today, {
    individual: input.includeIndividual !== false,
    unitIds: scopeKey === 'company' ? undefined : [...(root ? [root.id] : []), ...inScope],
  });
  const byPeriod = lists.map((list) => new Map(list.map((k) => [k.id, k])));
  const current = lists[lists.length - 1]!;
  const prevMap = byPeriod[byPeriod.length - 2]!;
  const prevPeriod = periods[periods.length - 2]!;
  // Like for like: an open period to date against the previous one up to the same day.
  const comparison = comparisonFor(period, ctx.org.fyStartMonth, today, ctx.org.locale);
  const toDate = comparison.toDate ? await loadValuesToDate(ctx, comparison, period.cadence) : null;
  const previousOf = (k: DashboardKpi): ReportRow['previous'] => {
    const prev = prevMap.get(k.id);
    if (!prev) return null;
    const whole = { label: prev.view.label, value: prev.view.value, status: prev.view.status };
    if (!toDate || cadenceMonths(k.cadence) > cadenceMonths(period.cadence)) return whole;
    const value = toDate.get(k.id) ?? null;
    const { status } = evaluatePeriod({
      actual: value,
      target: prev.view.target,
      baseline: k.baseline,
      direction: k.direction,
      timeAggregation: k.timeAggregation,
      periodStart: comparison.start,
      cadence: period.cadence,
      today: addDays(comparison.to, -1),
      thresholds: orgThresholds(ctx.org),
    });
    return { label: comparison.label, value, status: value === null ? 'no_data' : status };
  };
  const previous = new Map(current.map((k) => [k.id, previousOf(k)]));

  const visible = current.filter((k) => input.includeIndividual !== false || !k.isIndividual);
  const scoped = visible.filter((k) => inScope.has(k.unitId));
  const northStars = visible.filter((k) => k.isNorthStar);

  // The commentary shown for a KPI is the latest one dated inside what its numbers cover.
  const shown = [...new Map([...northStars, ...scoped].map((k) => [k.id, k])).values()];
  const spans = new Map(shown.map((k) => [k.id, commentarySpan(k, period)]));
  const { from, to } = spansWindow(spans.values(), period);
  const commentaries = await listLatestCommentaries(
    ctx,
    new Map(shown.map((k) => [k.id, k.cadence])),
    { from, to },
    (kpiId, start) => {
      const span = spans.get(kpiId);
      return !!span && start >= span.start && start < span.end;
    },
  );

  const toRow = (k: DashboardKpi): ReportRow => {
    const prev = previous.get(k.id) ?? null;
    return {
      kpiId: k.id,
      name: k.name,
      key: k.key,
      unitName: k.unitName,
      ownerName: k.ownerName,
      isNorthStar: k.isNorthStar,
      isIndividual: k.isIndividual,
      measure: { measureUnit: k.measureUnit, currency: k.currency, decimals: k.decimals },
      direction: k.direction,
      periodLabel: k.view.label,
      value: k.view.value,
      target: k.view.target,
      targetImplied: k.view.targetImplied === true,
      share: k.view.share,
      paceProgress: k.view.paceProgress,
      status: k.view.status,
      previous: prev,
      change: valueChange(k.view.value, prev?.value ?? null),
      trend: periods.map((p, i) => {
        const v = byPeriod[i]!.get(k.id)?.view.value ?? null;
        return { label: p.label, value: v === null ? null : Number(v), partial: p.isCurrent };
      }),
      coverage: reportCoverage(k),
      commentary: commentaries.get(k.id) ?? null,
      projected: period.isCurrent ? (k.projected ?? null) : null,
    };
  };

  const ref = (k: DashboardKpi): ReportRef => ({ kpiId: k.id, name: k.name, unitName: k.unitName });
  const team = scoped.filter((k) => !k.isIndividual);
  const sectionKpis = scopeKey === 'company' ? team.filter((k) => !k.isNorthStar) : team;
  const kpisOfUnit = new Map<string, DashboardKpi[]>();
  for (const k of sectionKpis) {
    const list = kpisOfUnit.get(k.unitId);
    if (list) list.push(k);
    else kpisOfUnit.set(k.unitId, [k]);
  }
  const sections: ReportSection[] = ordered
    .filter((u) => inScope.has(u.id))
    .map((u) => ({
      unit: { id: u.id, name: u.name, kind: u.kind, depth: u.depth },
      rows: (kpisOfUnit.get(u.id) ?? []).map(toRow),
    }))
    .filter((s) => s.rows.length > 0);

  return {
    version: 1,
    org: { name: ctx.org.name, locale: ctx.org.locale },
    scope: { key: scopeKey, name: scopeUnit.name, kind: scopeUnit.kind },
    period: {
      key: period.key,
      label: period.label,
      cadence: period.cadence,
      start: period.start,
      isCurrent: period.isCurrent,
      asOf: period.asOf,
    },
    previousPeriod: { key: prevPeriod.key, label: prevPeriod.label },
    comparison: { label: comparison.label, toDate: comparison.toDate },
    generatedAt: new Date().toISOString(),
    summary: {
      counts: countByStatus(team),
      turnedRed: team
        .filter((k) => turnedRed(k.view.status, previous.get(k.id)?.status ?? null))
        .map(ref),
      turnedGreen: team
        .filter((k) => turnedGreen(k.view.status, previous.get(k.id)?.status ?? null))
        .map(ref),
      withoutValue: team
        .filter((k) => k.view.value === null)
        .map((k) =>
          isMissing(k) && k.ownerUserId
            ? { ...ref(k), owner: { userId: k.ownerUserId, name: k.ownerName ?? '' } }
            : ref(k),
        ),
      withoutOwner: team.filter((k) => !k.ownerUserId).map(ref),
    },
    northStars: northStars.map(toRow),
    sections,
    individual: scoped.filter((k) => k.isIndividual).map(toRow),
  };
}

/** Every row of a report, in print order (north stars, units, individual KPIs). */
export function reportRows(report: Report): { group: string; row: ReportRow }[] {
  return [
    ...report.northStars.map((row) => ({ group: 'North star', row })),
    ...report.sections.flatMap((s) => s.rows.map((row) => ({ group: s.unit.name, row }))),
    ...report.individual.map((row) => ({ group: 'Individual', row })),
  ];
}

/** A row's coverage: the counts and how they read (see coverageText). */
function reportCoverage(k: DashboardKpi): ReportRow['coverage'] {
  const text = coverageText(k, k.view);
  return text === null
    ? null
    : { reported: k.view.childrenReported, expected: k.view.childrenExpected, text };
}
