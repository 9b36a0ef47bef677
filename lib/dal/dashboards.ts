import { and, desc, eq, inArray } from 'drizzle-orm';
import { withOrgRead } from '@/db/client';
import { checkins, memberships, users } from '@/db/schema';
import { can, leadsUnit } from '@/lib/authz/can';
import { aggregateValues } from '@/lib/domain/aggregation';
import { addDays, todayInTimeZone } from '@/lib/domain/dates';
import { Dec, roundValue, sumDec, toPlainString } from '@/lib/domain/decimal';
import {
  cadenceMonths,
  periodEndExclusive,
  periodLabel,
  periodStart,
  previousPeriodStart,
  subPeriodStarts,
  type Cadence,
} from '@/lib/domain/periods';
import { evaluatePeriod, type Status } from '@/lib/domain/progress';
import { ancestorIds, subtreeIds } from '@/lib/domain/tree';
import type { OrgContext } from '@/lib/server/org-context';
import { getKpiHealth, type KpiHealth } from './kpi-quality/health';
import { listUnitRefs, type UnitRef } from './units/refs';
import { LruCache, ReadThroughCache, getOrgDataVersion } from './read-cache';
import type { KpiPeriodView, KpiSummary } from '@/lib/domain/kpi-summary';
import { listKpis } from './kpis/list';
import { loadPeriodInputs } from './kpis/period-values';
import { canSeeKpi } from './kpis/summary-query';

/* ------------------------------------------------------------------------------------------ */
/* Periods of the dashboard                                                                    */
/* ------------------------------------------------------------------------------------------ */

/** The period the dashboard looks at, from `?period=<cadence>-<start>` (default: this month). */
export type DashboardPeriod = {
  key: string;
  cadence: Cadence;
  start: string;
  label: string;
  isCurrent: boolean;
  /** The date values are read as of: today for the current period, else its last day. */
  asOf: string;
};

export type PeriodOption = { key: string; label: string; cadence: Cadence; isCurrent: boolean };

const PERIOD_PARAM = /^(month|quarter|year)-(\d{4}-\d{2}-01)$/;
const OPTION_COUNTS: Record<Cadence, number> = { month: 12, quarter: 6, year: 3 };

function toPeriod(
  cadence: Cadence,
  start: string,
  fyStartMonth: number,
  today: string,
): DashboardPeriod {
  const isCurrent = periodStart(today, cadence, fyStartMonth) === start;
  return {
    key: `${cadence}-${start}`,
    cadence,
    start,
    label: periodLabel(start, cadence, fyStartMonth),
    isCurrent,
    asOf: isCurrent ? today : addDays(periodEndExclusive(start, cadence), -1),
  };
}

/**
 * Reads the `period` search parameter. Anything malformed, not a period start of that cadence
 * (fiscal year aware) or in the future falls back to the current month: a bad link never errors.
 */
export function resolveDashboardPeriod(
  raw: string | string[] | undefined | null,
  org: { fyStartMonth: number; timeZone: string },
  today: string = todayInTimeZone(org.timeZone),
): DashboardPeriod {
  const fallback = toPeriod(
    'month',
    periodStart(today, 'month', org.fyStartMonth),
    org.fyStartMonth,
    today,
  );
  const match = typeof raw === 'string' ? PERIOD_PARAM.exec(raw) : null;
  if (!match) return fallback;
  const cadence = match[1] as Cadence;
  const start = match[2]!;
  try {
    if (periodStart(start, cadence, org.fyStartMonth) !== start || start > today) return fallback;
  } catch {
    return fallback;
  }
  return toPeriod(cadence, start, org.fyStartMonth, today);
}

/** The periods the picker offers: this and the last 11 months, 5 quarters and 2 years. */
export function listPeriodOptions(
  org: { fyStartMonth: number; timeZone: string },
  today: string = todayInTimeZone(org.timeZone),
): PeriodOption[] {
  const options: PeriodOption[] = [];
  for (const cadence of ['month', 'quarter', 'year'] as const) {
    let start = periodStart(today, cadence, org.fyStartMonth);
    for (let i = 0; i < OPTION_COUNTS[cadence]; i += 1) {
      const p = toPeriod(cadence, start, org.fyStartMonth, today);
      options.push({ key: p.key, label: p.label, cadence, isCurrent: p.isCurrent });
      start = previousPeriodStart(start, cadence);
    }
  }
  return options;
}

/* ------------------------------------------------------------------------------------------ */
/* Read model                                                                                  */
/* ------------------------------------------------------------------------------------------ */

/**
 * A KPI on the dashboard: its summary (`current` = its own period containing the as-of date) and
 * `view` = its value over the selected period. A KPI with a shorter cadence than the selected
 * period is time-aggregated over it (three months make a quarter, by the KPI's own method); a
 * KPI with a longer cadence shows its own period containing the selected one.
 */
export type DashboardKpi = KpiSummary & { view: KpiPeriodView };

/**
 * A KPI as a dashboard sends it (narrow: what the cards show, no audit or editing fields). Lists
 * of them are bounded (see DASHBOARD_LIMITS); the counts next to them are exact.
 */
export type DashboardKpiDto = Pick<
  KpiSummary,
  | 'id'
  | 'name'
  | 'unitId'
  | 'unitName'
  | 'ownerUserId'
  | 'ownerName'
  | 'parentId'
  | 'isIndividual'
  | 'isNorthStar'
  | 'measureUnit'
  | 'currency'
  | 'decimals'
  | 'direction'
  | 'cadence'
  | 'timeAggregation'
  | 'rollup'
  | 'archivedOn'
  | 'current'
> & { view: KpiPeriodView };

export type StatusCounts = Record<Status, number> & { total: number };

export type PersonRef = { userId: string; name: string; homeUnitId: string; homeUnitName: string };

export type NorthStarCard = {
  kpi: DashboardKpiDto;
  /** Its own periods up to the selected one, oldest first (numbers for drawing only). */
  trend: { label: string; value: number | null }[];
};

export type UnitScorecard = {
  unit: UnitRef;
  /** The subtree's team KPIs by status (the card's "N KPIs" is counts.total). */
  counts: StatusCounts;
  /** The unit's own KPIs (not its teams'), north stars first: the first few. */
  kpis: DashboardKpiDto[];
  kpiCount: number;
};

/**
 * How many rows each dashboard list sends and shows: a dashboard is a summary whatever the size
 * of the organization; every list says how many there are and links to the explorer for all.
 */
export const DASHBOARD_LIMITS = {
  attention: 5,
  unowned: 5,
  notReported: 5,
  missingPerPerson: 3,
  scorecard: 5,
  unitKpis: 2,
  unitCards: 12,
  individual: 5,
  targets: 6,
} as const;

export type AdminSection = {
  /** Company-level team KPIs in tree order (the first DASHBOARD_LIMITS.scorecard). */
  companyKpis: DashboardKpiDto[];
  companyKpiCount: number;
  /** Departments (and teams directly under the company), the first DASHBOARD_LIMITS.unitCards. */
  units: UnitScorecard[];
  unitCount: number;
  /** Off track first, then at risk; lowest progress first within each (the worst few). */
  attention: DashboardKpiDto[];
  attentionCount: number;
  counts: StatusCounts;
  unownedCount: number;
  /** Team KPIs without an owner, assignable in place to anyone (the first few). */
  unowned: DashboardKpiDto[];
  peopleCount: number;
  /** People with hand-recorded KPIs lacking a value for the period, most missing first. */
  notReported: NotReported[];
  notReportedCount: number;
  /** The KPIs behind notReported: owned, recorded by hand, no value (all of them, counted). */
  missingKpiCount: number;
};

export type NotReported = {
  person: PersonRef;
  /** The first DASHBOARD_LIMITS.missingPerPerson of them; missingCount counts all. */
  missing: { id: string; name: string }[];
  missingCount: number;
  due: number;
};

export type LeadSection = {
  ledUnits: UnitRef[];
  /** Non-individual KPIs of the subtree, in tree order (the first few; counts.total is all). */
  kpis: DashboardKpiDto[];
  counts: StatusCounts;
  unowned: DashboardKpiDto[];
  unownedCount: number;
  /** People whose home unit is in the subtree: who KPIs may be assigned to. */
  peopleCount: number;
  individual: DashboardKpiDto[];
  individualCount: number;
  notReported: NotReported[];
  notReportedCount: number;
  missingKpiCount: number;
};

export type LineStep = { id: string; name: string; isNorthStar: boolean };

export type MemberTarget = DashboardKpiDto & { line: LineStep[] };

export type MemberSection = { targets: MemberTarget[]; targetCount: number };

export type Dashboard = {
  period: DashboardPeriod;
  options: PeriodOption[];
  today: string;
  isAdmin: boolean;
  totals: { kpis: number; departments: number };
  northStars: NorthStarCard[];
  admin: AdminSection | null;
  lead: LeadSection | null;
  mine: MemberSection | null;
};

function emptyCounts(): StatusCounts {
  return { on_track: 0, at_risk: 0, off_track: 0, no_data: 0, total: 0 };
}

/** Counts KPIs by their status for the selected period. */
export function countByStatus(list: readonly { view: { status: Status } }[]): StatusCounts {
  const counts = emptyCounts();
  for (const k of list) {
    counts[k.view.status] += 1;
    counts.total += 1;
  }
  return counts;
}

/** The target of a KPI over several of its own periods, combined by its time aggregation. */
function combinedTarget(
  kpi: KpiSummary,
  targets: (string | null)[],
  lastStarted: number,
): string | null {
  if (targets.length === 0) return null;
  if (kpi.timeAggregation === 'last') return targets[Math.max(0, lastStarted)] ?? null;
  if (targets.some((t) => t === null)) return null;
  const list = targets as string[];
  if (kpi.timeAggregation === 'sum') return toPlainString(sumDec(list));
  return roundValue(sumDec(list).div(new Dec(list.length)));
}

/** Evaluates KPIs shorter than the selected period over it (see DashboardKpi). */
async function aggregatedViews(
  ctx: OrgContext,
  shorter: KpiSummary[],
  period: DashboardPeriod,
  today: string,
): Promise<Map<string, KpiPeriodView>> {
  const result = new Map<string, KpiPeriodView>();
  if (shorter.length === 0) return result;
  const startsOf = new Map<Cadence, string[]>();
  for (const cadence of new Set(shorter.map((k) => k.cadence))) {
    startsOf.set(cadence, subPeriodStarts(period.start, period.cadence, cadence));
  }
  const allStarts = [...new Set([...startsOf.values()].flat())];
  const { values, targets } = await loadPeriodInputs(
    ctx.org.id,
    shorter.map((k) => k.id),
    allStarts,
  );
  for (const kpi of shorter) {
    const starts = startsOf.get(kpi.cadence) ?? [];
    const lastStarted = starts.filter((s) => s <= period.asOf).length - 1;
    const rows = starts.map((s) => values.get(`${kpi.id}|${s}`)).filter((r) => r !== undefined);
    const value = aggregateValues(
      kpi.timeAggregation,
      rows.map((r) => r.value),
    );
    const target = combinedTarget(
      kpi,
      starts.map((s) => targets.get(`${kpi.id}|${s}`) ?? kpi.defaultTarget),
      lastStarted,
    );
    const evaluation = evaluatePeriod({
      actual: value,
      target,
      baseline: kpi.baseline,
      direction: kpi.direction,
      timeAggregation: kpi.timeAggregation,
      periodStart: period.start,
      cadence: period.cadence,
      today,
      thresholds: { green: ctx.org.greenThreshold, amber: ctx.org.amberThreshold },
    });
    const latest = rows[rows.length - 1];
    result.set(kpi.id, {
      start: period.start,
      label: period.label,
      value,
      target: evaluation.target,
      progress: evaluation.progress,
      paceProgress: evaluation.paceProgress,
      status: value === null ? 'no_data' : evaluation.status,
      childrenReported: latest?.childrenReported ?? 0,
      childrenExpected: latest?.childrenExpected ?? kpi.current.childrenExpected,
    });
  }
  return result;
}

async function listPeopleRefs(
  ctx: OrgContext,
  unitName: Map<string, string>,
): Promise<PersonRef[]> {
  return withOrgRead(ctx.org.id, async (db) => {
    const rows = await db
      .select({ userId: memberships.userId, name: users.name, homeUnitId: memberships.homeUnitId })
      .from(memberships)
      .innerJoin(users, eq(users.id, memberships.userId))
      .where(eq(memberships.orgId, ctx.org.id))
      .orderBy(users.name);
    return rows.map((r) => ({ ...r, homeUnitName: unitName.get(r.homeUnitId) ?? '' }));
  });
}

async function loadTrends(
  ctx: OrgContext,
  northStars: DashboardKpi[],
  asOf: string,
): Promise<Map<string, { label: string; value: number | null }[]>> {
  const startsOf = new Map<string, string[]>();
  for (const kpi of northStars) {
    const starts = [periodStart(asOf, kpi.cadence, ctx.org.fyStartMonth)];
    const count = kpi.cadence === 'month' ? 12 : kpi.cadence === 'quarter' ? 8 : 5;
    while (starts.length < count) starts.unshift(previousPeriodStart(starts[0]!, kpi.cadence));
    startsOf.set(kpi.id, starts);
  }
  const { values } = await loadPeriodInputs(
    ctx.org.id,
    northStars.map((k) => k.id),
    [...new Set([...startsOf.values()].flat())],
  );
  const trends = new Map<string, { label: string; value: number | null }[]>();
  for (const kpi of northStars) {
    trends.set(
      kpi.id,
      (startsOf.get(kpi.id) ?? []).map((start) => {
        const row = values.get(`${kpi.id}|${start}`);
        return {
          label: periodLabel(start, kpi.cadence, ctx.org.fyStartMonth),
          value: row ? Number(row.value) : null,
        };
      }),
    );
  }
  return trends;
}

const STATUS_RANK: Record<Status, number> = { off_track: 0, at_risk: 1, on_track: 2, no_data: 3 };

/** The narrow DTO of a dashboard KPI (what the cards render and the JSON route sends). */
export function toDashboardKpiDto(k: DashboardKpi): DashboardKpiDto {
  return {
    id: k.id,
    name: k.name,
    unitId: k.unitId,
    unitName: k.unitName,
    ownerUserId: k.ownerUserId,
    ownerName: k.ownerName,
    parentId: k.parentId,
    isIndividual: k.isIndividual,
    isNorthStar: k.isNorthStar,
    measureUnit: k.measureUnit,
    currency: k.currency,
    decimals: k.decimals,
    direction: k.direction,
    cadence: k.cadence,
    timeAggregation: k.timeAggregation,
    rollup: k.rollup,
    archivedOn: k.archivedOn,
    current: k.current,
    view: k.view,
  };
}

/** The first `n` of a list as DTOs. */
function firstDtos(list: readonly DashboardKpi[], n: number): DashboardKpiDto[] {
  return list.slice(0, n).map(toDashboardKpiDto);
}

/** Orders KPIs as the cascade does: each parent followed by its children, north stars first. */
function treeOrder(list: DashboardKpi[]): DashboardKpi[] {
  const ids = new Set(list.map((k) => k.id));
  const childrenOf = new Map<string | null, DashboardKpi[]>();
  for (const k of list) {
    const parent = k.parentId && ids.has(k.parentId) ? k.parentId : null;
    const bucket = childrenOf.get(parent) ?? [];
    bucket.push(k);
    childrenOf.set(parent, bucket);
  }
  const out: DashboardKpi[] = [];
  const visit = (parent: string | null) => {
    const kids = (childrenOf.get(parent) ?? []).sort(
      (a, b) => Number(b.isNorthStar) - Number(a.isNorthStar),
    );
    for (const kid of kids) {
      out.push(kid);
      visit(kid.id);
    }
  };
  visit(null);
  return out;
}

/** Worst first: off track before at risk, lowest pace progress first within each. */
function byUrgency(a: DashboardKpi, b: DashboardKpi): number {
  return (
    STATUS_RANK[a.view.status] - STATUS_RANK[b.view.status] ||
    (a.view.paceProgress ?? 0) - (b.view.paceProgress ?? 0)
  );
}

/**
 * A KPI someone should have recorded for the period and has not: owned, recorded by hand
 * (manual rollup), no value. The explorer's `missing` filter (lib/domain/kpi-filter) is the same rule.
 */
function isMissing(k: DashboardKpi): boolean {
  return !!k.ownerUserId && k.rollup === 'manual' && k.view.value === null;
}

function listNotReported(
  kpis: DashboardKpi[],
  people: PersonRef[],
): { items: NotReported[]; count: number; missingKpiCount: number } {
  const owned = new Map<string, DashboardKpi[]>();
  for (const k of kpis) {
    if (k.ownerUserId && k.rollup === 'manual') {
      const list = owned.get(k.ownerUserId);
      if (list) list.push(k);
      else owned.set(k.ownerUserId, [k]);
    }
  }
  const all: { person: PersonRef; missing: DashboardKpi[]; due: number }[] = [];
  let missingKpiCount = 0;
  for (const person of people) {
    const due = owned.get(person.userId) ?? [];
    const missing = due.filter(isMissing);
    missingKpiCount += missing.length;
    if (missing.length > 0) all.push({ person, missing, due: due.length });
  }
  all.sort(
    (a, b) => b.missing.length - a.missing.length || a.person.name.localeCompare(b.person.name),
  );
  return {
    items: all.slice(0, DASHBOARD_LIMITS.notReported).map(({ person, missing, due }) => ({
      person,
      missing: missing
        .slice(0, DASHBOARD_LIMITS.missingPerPerson)
        .map((k) => ({ id: k.id, name: k.name })),
      missingCount: missing.length,
      due,
    })),
    count: all.length,
    missingKpiCount,
  };
}

/** Builds the bounded sections from the actor's visible KPIs (in memory; no queries). */
function buildSections(
  ctx: OrgContext,
  kpis: DashboardKpi[],
  unitRefs: UnitRef[],
  people: PersonRef[],
  parts: { admin: boolean; lead: boolean; mine: boolean },
): { admin: AdminSection | null; lead: LeadSection | null; mine: MemberSection | null } {
  const unitParent = new Map(unitRefs.map((u) => [u.id, u.parentId]));
  const root = unitRefs.find((u) => u.kind === 'company');
  const team = kpis.filter((k) => !k.isIndividual);
  const L = DASHBOARD_LIMITS;

  let admin: AdminSection | null = null;
  if (parts.admin) {
    const topUnits = unitRefs.filter((u) => root && u.parentId === root.id);
    const companyKpis = treeOrder(team.filter((k) => k.unitId === root?.id));
    const attention = kpis
      .filter((k) => k.view.status === 'at_risk' || k.view.status === 'off_track')
      .sort(byUrgency);
    const unowned = treeOrder(team.filter((k) => !k.ownerUserId));
    const notReported = listNotReported(kpis, people);
    // One pass: each team KPI counted under the top-level unit its unit belongs to.
    const topOf = new Map<string, string>();
    for (const u of topUnits) for (const id of subtreeIds(u.id, unitParent)) topOf.set(id, u.id);
    const countsOf = new Map(topUnits.map((u) => [u.id, emptyCounts()]));
    const ownOf = new Map<string, DashboardKpi[]>(topUnits.map((u) => [u.id, []]));
    for (const k of team) {
      const top = topOf.get(k.unitId);
      if (!top) continue;
      const counts = countsOf.get(top)!;
      counts[k.view.status] += 1;
      counts.total += 1;
      if (k.unitId === top) ownOf.get(top)!.push(k);
    }
    admin = {
      companyKpis: firstDtos(companyKpis, L.scorecard),
      companyKpiCount: companyKpis.length,
      units: topUnits.slice(0, L.unitCards).map((unit) => {
        const own = treeOrder(ownOf.get(unit.id) ?? []);
        return {
          unit,
          counts: countsOf.get(unit.id) ?? emptyCounts(),
          kpis: firstDtos(own, L.unitKpis),
          kpiCount: own.length,
        };
      }),
      unitCount: topUnits.length,
      attention: firstDtos(attention, L.attention),
      attentionCount: attention.length,
      counts: countByStatus(team),
      unownedCount: unowned.length,
      unowned: firstDtos(unowned, L.unowned),
      peopleCount: people.length,
      notReported: notReported.items,
      notReportedCount: notReported.count,
      missingKpiCount: notReported.missingKpiCount,
    };
  }

  let lead: LeadSection | null = null;
  if (parts.lead) {
    const led = ctx.actor.ledUnitIds.filter((id) => unitParent.has(id));
    // A unit below another led unit is already covered by it.
    const ledRoots = led.filter((id) => !ancestorIds(id, unitParent).some((a) => led.includes(a)));
    const subtree = new Set<string>();
    for (const id of ledRoots) for (const u of subtreeIds(id, unitParent)) subtree.add(u);
    const subtreeKpis = treeOrder(team.filter((k) => subtree.has(k.unitId)));
    const subtreePeople = people.filter((p) => subtree.has(p.homeUnitId));
    const individual = kpis.filter(
      (k) => k.isIndividual && k.ownerHomeUnitId && subtree.has(k.ownerHomeUnitId),
    );
    const unowned = subtreeKpis.filter((k) => !k.ownerUserId);
    const notReported = listNotReported(kpis, subtreePeople);
    lead = {
      ledUnits: unitRefs.filter((u) => ledRoots.includes(u.id)),
      kpis: firstDtos(subtreeKpis, L.scorecard),
      counts: countByStatus(subtreeKpis),
      unowned: firstDtos(unowned, L.unowned),
      unownedCount: unowned.length,
      peopleCount: subtreePeople.length,
      individual: firstDtos(individual, L.individual),
      individualCount: individual.length,
      notReported: notReported.items,
      notReportedCount: notReported.count,
      missingKpiCount: notReported.missingKpiCount,
    };
  }

  let mine: MemberSection | null = null;
  if (parts.mine) {
    const byId = new Map(kpis.map((k) => [k.id, k]));
    const parentOf = new Map(kpis.map((k) => [k.id, k.parentId]));
    const owned = kpis
      .filter((k) => k.ownerUserId === ctx.actor.userId)
      .sort(
        (a, b) => Number(b.isIndividual) - Number(a.isIndividual) || a.name.localeCompare(b.name),
      );
    const targets = owned.slice(0, L.targets).map((k) => ({
      ...toDashboardKpiDto(k),
      line: ancestorIds(k.id, parentOf)
        .map((id) => byId.get(id))
        .filter((a): a is DashboardKpi => !!a)
        .map((a) => ({ id: a.id, name: a.name, isNorthStar: a.isNorthStar })),
    }));
    mine = { targets, targetCount: owned.length };
  }
  return { admin, lead, mine };
}

/**
 * Every KPI the actor may see with its view over the selected period: the computation behind
 * the period report (uncached: reports read several periods at once). Tenant-scoped; individual
 * KPIs filtered by listKpis.
 */
export async function dashboardKpis(
  ctx: OrgContext,
  period: DashboardPeriod,
  today: string,
): Promise<DashboardKpi[]> {
  const summaries = await listKpis(ctx, { asOf: period.asOf });
  return withPeriodViews(ctx, summaries, period, today);
}

async function withPeriodViews(
  ctx: OrgContext,
  summaries: KpiSummary[],
  period: DashboardPeriod,
  today: string,
): Promise<DashboardKpi[]> {
  const shorter = summaries.filter((k) => cadenceMonths(k.cadence) < cadenceMonths(period.cadence));
  const aggregated = await aggregatedViews(ctx, shorter, period, today);
  return summaries.map((k) => ({ ...k, view: aggregated.get(k.id) ?? k.current }));
}

function isAdminRole(ctx: OrgContext): boolean {
  return can(ctx, 'kpis.read_all');
}

/* ------------------------------------------------------------------------------------------ */
/* The cached read model                                                                       */
/* ------------------------------------------------------------------------------------------ */

/**
 * What every dashboard of one organization, period and day is derived from: every active KPI of
 * the organization evaluated for the period, **individual KPIs of everyone included** (so never
 * handed to an actor as is: buildDashboard filters with canSeeKpi first), units, people, trends.
 */
type OrgModel = {
  kpis: DashboardKpi[];
  unitRefs: UnitRef[];
  people: PersonRef[];
  trends: Map<string, { label: string; value: number | null }[]>;
};

async function loadOrgModel(
  ctx: OrgContext,
  period: DashboardPeriod,
  today: string,
): Promise<OrgModel> {
  const [summaries, unitRefs] = await Promise.all([
    listKpis(ctx, { asOf: period.asOf, visibility: 'all' }),
    listUnitRefs(ctx),
  ]);
  const [kpis, people] = await Promise.all([
    withPeriodViews(ctx, summaries, period, today),
    listPeopleRefs(ctx, new Map(unitRefs.map((u) => [u.id, u.name]))),
  ]);
  const trends = await loadTrends(
    ctx,
    kpis.filter((k) => k.isNorthStar),
    period.asOf,
  );
  return { kpis, unitRefs, people, trends };
}

/**
 * Heap estimate of a model: measured +2.0 MB of heap for the 1,000-KPI synthetic org (model, views
 * and health together), so about 2 KB per evaluated KPI (bench/RESULTS.md).
 */
function modelBytes(model: OrgModel): number {
  return 4096 + model.kpis.length * 2000 + model.people.length * 200 + model.unitRefs.length * 300;
}

type Caches = {
  models: ReadThroughCache<OrgModel>;
  views: ReadThroughCache<unknown>;
};

/**
 * Bounded in-process caches, shared by every bundle of the server (route handlers and pages).
 * Models: 128 MB (about six periods of a 10,000-KPI organization, or hundreds of small ones);
 * views (the bounded per-actor results, tens of KB each): 64 MB.
 */
function caches(): Caches {
  const key = Symbol.for('kpi-cascade.dashboard-caches');
  const g = globalThis as typeof globalThis & { [key]?: Caches };
  g[key] ??= {
    models: new ReadThroughCache(new LruCache<OrgModel>(128 * 1024 * 1024, 512), modelBytes),
    views: new ReadThroughCache(
      new LruCache<unknown>(64 * 1024 * 1024, 20_000),
      (v) => 2 * JSON.stringify(v).length,
    ),
  };
  return g[key];
}

/** Empties the dashboard caches (tests and benchmarks that compare cold and warm reads). */
export function clearDashboardCaches(): void {
  const c = caches();
  c.models.lru.clear();
  c.views.lru.clear();
}

/** What a model depends on besides the data: the org, its data version, settings, period, day. */
function modelKey(
  ctx: OrgContext,
  version: string,
  period: DashboardPeriod,
  today: string,
): string {
  const o = ctx.org;
  return [
    o.id,
    version,
    period.key,
    today,
    o.fyStartMonth,
    o.timeZone,
    o.greenThreshold,
    o.amberThreshold,
    o.maxKpisPerUnit,
    o.maxKpisPerPerson,
  ].join('|');
}

/**
 * Everything a view depends on about the actor: role, person and led units (the unit tree is
 * data, covered by the version). Two actors share a view only when all three are equal.
 */
function scopeKey(ctx: OrgContext): string {
  return `${ctx.actor.role}:${ctx.actor.userId}:${[...ctx.actor.ledUnitIds].sort().join(',')}`;
}

type ReadKey = { model: string; view: string; today: string; version: string };

async function readKey(ctx: OrgContext, period: DashboardPeriod): Promise<ReadKey> {
  const today = todayInTimeZone(ctx.org.timeZone);
  const version = await getOrgDataVersion(ctx.org.id);
  const model = modelKey(ctx, version, period, today);
  return { model, view: `${model}|${scopeKey(ctx)}`, today, version };
}

function getModel(ctx: OrgContext, key: ReadKey, period: DashboardPeriod): Promise<OrgModel> {
  return caches().models.get(key.model, async () => {
    const model = await loadOrgModel(ctx, period, key.today);
    // Entries of the org's older versions can never be read again: free them now.
    const org = `${ctx.org.id}|`;
    const current = `${ctx.org.id}|${key.version}|`;
    caches().models.lru.deletePrefix(org, current);
    caches().views.lru.deletePrefix(org, current);
    return model;
  });
}

function cachedView<T>(key: ReadKey, part: string, compute: () => Promise<T>): Promise<T> {
  return caches().views.get(`${key.view}|${part}`, compute) as Promise<T>;
}

function buildDashboard(
  ctx: OrgContext,
  period: DashboardPeriod,
  today: string,
  model: OrgModel,
): Dashboard {
  const isAdmin = isAdminRole(ctx);
  const kpis = model.kpis.filter((k) => canSeeKpi(ctx, k));
  // Admins see everything in the admin section, so a lead section would only repeat it.
  const isLead = ctx.actor.ledUnitIds.length > 0 && !isAdmin;
  const people = isLead || isAdmin ? model.people : [];
  const ownsKpis = kpis.some((k) => k.ownerUserId === ctx.actor.userId);
  const sections = buildSections(ctx, kpis, model.unitRefs, people, {
    admin: isAdmin,
    lead: isLead,
    mine: ownsKpis || (!isAdmin && !isLead),
  });
  return {
    period,
    options: listPeriodOptions(ctx.org, today),
    today,
    isAdmin,
    totals: {
      kpis: kpis.length,
      departments: model.unitRefs.filter((u) => u.kind !== 'company').length,
    },
    northStars: kpis
      .filter((k) => k.isNorthStar)
      .map((kpi) => ({ kpi: toDashboardKpiDto(kpi), trend: model.trends.get(kpi.id) ?? [] })),
    ...sections,
  };
}

/** The KPI focus card, bounded like every dashboard list (the counts stay exact). */
export type DashboardHealth = KpiHealth & {
  counts: { unitsOverLimit: number; peopleOverLimit: number; retireCandidates: number };
};

const HEALTH_ROWS = 5;

async function loadHealth(ctx: OrgContext): Promise<DashboardHealth | null> {
  const health = await getKpiHealth(ctx);
  if (!health) return null;
  return {
    limits: health.limits,
    unitsOverLimit: health.unitsOverLimit.slice(0, HEALTH_ROWS),
    peopleOverLimit: health.peopleOverLimit.slice(0, HEALTH_ROWS),
    retireCandidates: health.retireCandidates.slice(0, HEALTH_ROWS),
    counts: {
      unitsOverLimit: health.unitsOverLimit.length,
      peopleOverLimit: health.peopleOverLimit.length,
      retireCandidates: health.retireCandidates.length,
    },
  };
}

/** Everything the dashboard page shows, from one data-version read. */
export type DashboardView = {
  dash: Dashboard;
  /** The member section as its client panel takes it (null when the actor has none). */
  mine: MyDashboardDto | null;
  health: DashboardHealth | null;
};

/**
 * The role-scoped dashboard for the selected period, tenant-scoped by ctx.org.id and filtered by
 * what the actor may see (canSeeKpi: the individual-KPI rule). Sections: `admin` for owners and
 * admins (org-wide, including unowned KPIs and who has not reported); `lead` for leads of units
 * who are not admins (their subtrees only); `mine` for anyone who owns KPIs or is a plain member.
 * North stars are visible to everyone. Every list is bounded (DASHBOARD_LIMITS), every count exact.
 *
 * Served from the in-process caches after authorization (ctx is resolved from the session and
 * the database per request): the org-wide model is keyed by org, data version, settings, period
 * and day; the actor's view additionally by role, person and led units. A write anywhere in the
 * org changes the version in its own transaction, so the next read (the writer's included)
 * recomputes.
 */
export async function getDashboardView(
  ctx: OrgContext,
  period: DashboardPeriod,
): Promise<DashboardView> {
  const key = await readKey(ctx, period);
  const [dash, health] = await Promise.all([
    cachedView(key, 'dash', async () =>
      buildDashboard(ctx, period, key.today, await getModel(ctx, key, period)),
    ),
    cachedView(key, 'health', () => loadHealth(ctx)),
  ]);
  const mine = dash.mine ? await cachedMyDashboard(ctx, key, period, dash.mine) : null;
  return { dash, mine, health };
}

function cachedMyDashboard(
  ctx: OrgContext,
  key: ReadKey,
  period: DashboardPeriod,
  mine: MemberSection,
): Promise<MyDashboardDto> {
  return cachedView(key, 'mine', async () =>
    toMyDashboardDto(
      period,
      key.today,
      mine,
      period.isCurrent ? await listCheckinsDue(ctx, mine.targets) : [],
    ),
  );
}

/** The dashboard alone (the JSON route and tests): see getDashboardView. */
export async function getDashboard(ctx: OrgContext, period: DashboardPeriod): Promise<Dashboard> {
  return (await getDashboardView(ctx, period)).dash;
}

function myTargets(ctx: OrgContext, key: ReadKey, period: DashboardPeriod): Promise<MemberSection> {
  return cachedView(key, 'targets', async () => {
    const model = await getModel(ctx, key, period);
    const kpis = model.kpis.filter((k) => canSeeKpi(ctx, k));
    return buildSections(ctx, kpis, [], [], { admin: false, lead: false, mine: true }).mine!;
  });
}

/** The actor's own KPIs for the selected period (the member section alone, for polling). */
export async function getMyTargets(
  ctx: OrgContext,
  period: DashboardPeriod,
): Promise<MemberSection> {
  return myTargets(ctx, await readKey(ctx, period), period);
}

/* ------------------------------------------------------------------------------------------ */
/* One-screen check-in                                                                         */
/* ------------------------------------------------------------------------------------------ */

/** What the one-screen check-in form needs about one KPI's current period. */
export type CheckinDue = {
  kpiId: string;
  /** The latest check-in of any period (pre-fills the form). */
  last: { id: string; value: string; observedOn: string; version: number } | null;
  /** The latest check-in dated in the KPI's current period: saving a change edits it. */
  inPeriod: { id: string; value: string; observedOn: string; version: number } | null;
};

/** What listCheckinsDue needs to know about a KPI. */
export type CheckinCandidate = Pick<
  KpiSummary,
  'id' | 'rollup' | 'archivedOn' | 'unitId' | 'ownerUserId' | 'current'
>;

/**
 * For each KPI the actor may record values on (manual rollup, `checkins.write`), the last
 * check-in and the one in its current period; one query for all of them. Tenant-scoped.
 */
export async function listCheckinsDue(
  ctx: OrgContext,
  kpis: readonly CheckinCandidate[],
): Promise<CheckinDue[]> {
  const writable = kpis.filter(
    (k) =>
      k.rollup === 'manual' &&
      !k.archivedOn &&
      can(ctx, 'checkins.write', { unitId: k.unitId, ownerUserId: k.ownerUserId }),
  );
  if (writable.length === 0) return [];
  return withOrgRead(ctx.org.id, async (db) => {
    const rows = await db
      .selectDistinctOn([checkins.kpiId], {
        kpiId: checkins.kpiId,
        id: checkins.id,
        value: checkins.value,
        observedOn: checkins.observedOn,
        version: checkins.version,
      })
      .from(checkins)
      .where(
        and(
          eq(checkins.orgId, ctx.org.id),
          inArray(
            checkins.kpiId,
            writable.map((k) => k.id),
          ),
        ),
      )
      .orderBy(checkins.kpiId, desc(checkins.observedOn), desc(checkins.createdAt));
    const latest = new Map(rows.map((r) => [r.kpiId, r]));
    return writable.map((k) => {
      const row = latest.get(k.id);
      const last = row
        ? {
            id: row.id,
            value: toPlainString(new Dec(row.value)),
            observedOn: row.observedOn,
            version: row.version,
          }
        : null;
      return {
        kpiId: k.id,
        last,
        inPeriod: last && last.observedOn >= k.current.start ? last : null,
      };
    });
  });
}

/* ------------------------------------------------------------------------------------------ */
/* Client DTOs for the member's interactive section                                            */
/* ------------------------------------------------------------------------------------------ */

export type MeasureDto = {
  measureUnit: KpiSummary['measureUnit'];
  currency: string | null;
  decimals: number;
};

/** One of my targets as the client shows it (narrow: no ids of other people, no audit data). */
export type MyTargetDto = {
  kpiId: string;
  name: string;
  unitName: string;
  isIndividual: boolean;
  isNorthStar: boolean;
  periodLabel: string;
  periodStart: string;
  value: string | null;
  target: string | null;
  measure: MeasureDto;
  timeAggregation: KpiSummary['timeAggregation'];
  progress: number | null;
  paceProgress: number | null;
  status: Status;
  /** True when pace (pro-rated target) is what status is judged on: a flow in its open period. */
  showPace: boolean;
  coverage: string | null;
  line: LineStep[];
};

/** One row of the one-screen check-in: a KPI I record, in its own current period. */
export type CheckinRowDto = {
  kpiId: string;
  name: string;
  periodLabel: string;
  periodStart: string;
  measure: MeasureDto;
  timeAggregation: KpiSummary['timeAggregation'];
  periodValue: string | null;
  target: string | null;
  last: { value: string; observedOn: string } | null;
  inPeriod: { id: string; value: string; observedOn: string; version: number } | null;
};

export type MyDashboardDto = {
  period: { key: string; label: string; isCurrent: boolean };
  today: string;
  /** The first DASHBOARD_LIMITS.targets of my KPIs; targetCount counts all. */
  targets: MyTargetDto[];
  targetCount: number;
  /** Empty unless the selected period is the current one (check-ins are for now). */
  checkins: CheckinRowDto[];
};

function measureOf(k: MeasureDto): MeasureDto {
  return { measureUnit: k.measureUnit, currency: k.currency, decimals: k.decimals };
}

/** Maps the member section (and its check-ins due) to the client DTO. */
export function toMyDashboardDto(
  period: DashboardPeriod,
  today: string,
  mine: MemberSection,
  due: CheckinDue[],
): MyDashboardDto {
  const byId = new Map(mine.targets.map((t) => [t.id, t]));
  return {
    period: { key: period.key, label: period.label, isCurrent: period.isCurrent },
    today,
    targetCount: mine.targetCount,
    targets: mine.targets.map((t) => ({
      kpiId: t.id,
      name: t.name,
      unitName: t.unitName,
      isIndividual: t.isIndividual,
      isNorthStar: t.isNorthStar,
      periodLabel: t.view.label,
      periodStart: t.view.start,
      value: t.view.value,
      target: t.view.target,
      measure: measureOf(t),
      timeAggregation: t.timeAggregation,
      progress: t.view.progress,
      paceProgress: t.view.paceProgress,
      status: t.view.status,
      showPace:
        t.timeAggregation === 'sum' &&
        period.isCurrent &&
        t.view.start <= today &&
        t.view.paceProgress !== null,
      coverage:
        t.rollup !== 'manual' && t.view.childrenExpected > 0
          ? `${t.view.childrenReported} of ${t.view.childrenExpected} reported`
          : null,
      line: t.line,
    })),
    checkins: due.flatMap((d) => {
      const k = byId.get(d.kpiId);
      if (!k) return [];
      return [
        {
          kpiId: k.id,
          name: k.name,
          periodLabel: k.current.label,
          periodStart: k.current.start,
          measure: measureOf(k),
          timeAggregation: k.timeAggregation,
          periodValue: k.current.value,
          target: k.current.target,
          last: d.last ? { value: d.last.value, observedOn: d.last.observedOn } : null,
          inPeriod: d.inPeriod,
        },
      ];
    }),
  };
}

/** The member's section as the client polls it: my targets and, for the current period, check-ins due. */
export async function getMyDashboard(
  ctx: OrgContext,
  period: DashboardPeriod,
): Promise<MyDashboardDto> {
  const key = await readKey(ctx, period);
  return cachedMyDashboard(ctx, key, period, await myTargets(ctx, key, period));
}

/* ------------------------------------------------------------------------------------------ */
/* Who a KPI may be assigned to (the in-place owner pickers, loaded on demand)                 */
/* ------------------------------------------------------------------------------------------ */

export type AssigneeDto = { userId: string; name: string; unitName: string };

/**
 * The people the actor may make a KPI owner: everyone for owners and admins; for a lead, the
 * people at home in their subtrees (kpis.assign_owner); nobody for anyone else. Tenant: ctx.org.
 * Kept out of the dashboard itself: in a large organization it is thousands of names.
 */
export async function listAssignees(ctx: OrgContext): Promise<AssigneeDto[]> {
  const admin = isAdminRole(ctx);
  if (!admin && ctx.actor.ledUnitIds.length === 0) return [];
  const unitRefs = await listUnitRefs(ctx);
  const people = await listPeopleRefs(ctx, new Map(unitRefs.map((u) => [u.id, u.name])));
  return people
    .filter((p) => admin || leadsUnit(ctx, p.homeUnitId))
    .map((p) => ({ userId: p.userId, name: p.name, unitName: p.homeUnitName }));
}
