import type { Status } from '@/lib/domain/progress';
import { driverLinksOf, type DriverLinks, type LinkableKpi } from '@/lib/domain/driver-links';
import { ancestorIds, inTreeOrder, subtreeIds } from '@/lib/domain/tree';
import {
  DASHBOARD_LIMITS,
  type AdminSection,
  type DashboardKpiDto,
  type DashboardKpiRef,
  type LeadSection,
  type MemberSection,
  type NotReported,
  type PersonRef,
  type ProjectedCounts,
  type SectionActor,
  type SectionKpi,
  type SectionUnit,
  type Sections,
  type StatusCounts,
} from './types';

/*
 * The bounded sections of a dashboard, built in memory from the KPIs the actor may see (the DAL
 * filters them first). No I/O.
 */

function emptyCounts(): StatusCounts {
  return { on_track: 0, at_risk: 0, off_track: 0, in_progress: 0, no_data: 0, total: 0 };
}

/** Adds a KPI's projected status to `counts` (nothing without a projection against a target). */
function countProjected(counts: ProjectedCounts, k: Pick<DashboardKpiDto, 'projected'>): void {
  const status = k.projected?.status;
  if (status === 'on_track' || status === 'at_risk' || status === 'off_track') {
    counts[status] += 1;
    counts.total += 1;
  }
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

/** The narrow DTO of a dashboard KPI (what the cards render and the JSON route sends). */
export function toDashboardKpiDto(k: DashboardKpiDto): DashboardKpiDto {
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
    category: k.category,
    indicator: k.indicator,
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
    ...(k.links ? { links: k.links } : {}),
    ...(k.projected ? { projected: k.projected } : {}),
  };
}

function toKpiRef(k: DashboardKpiDto): DashboardKpiRef {
  return {
    id: k.id,
    name: k.name,
    measureUnit: k.measureUnit,
    currency: k.currency,
    decimals: k.decimals,
    view: { value: k.view.value, status: k.view.status, paceProgress: k.view.paceProgress },
  };
}

/**
 * The KPIs with their formula links (drivers with their values over the selected period, and
 * the formulas each feeds) among these KPIs only: the caller passes what the actor may see of one
 * organization, so no link names a KPI beyond it. Pure.
 */
export function withFormulaLinks<T extends DashboardKpiDto & LinkableKpi>(kpis: readonly T[]): T[] {
  const links = driverLinksOf(kpis);
  return kpis.map((k) => {
    const l = links.get(k.id);
    if (!l) return k;
    const refs: DriverLinks<DashboardKpiRef> = {
      ...l,
      drivers: l.drivers.map(toKpiRef),
      feeds: l.feeds.map(toKpiRef),
    };
    return { ...k, links: refs };
  });
}

/** The first `n` of a list as DTOs. */
function firstDtos(list: readonly DashboardKpiDto[], n: number): DashboardKpiDto[] {
  return list.slice(0, n).map(toDashboardKpiDto);
}

/**
 * Orders KPIs as the cascade does: each parent followed by its children, north stars first among
 * siblings (otherwise in the order given). A KPI whose parent is not in the list starts a tree.
 */
export function treeOrder<K extends { id: string; parentId: string | null; isNorthStar: boolean }>(
  list: readonly K[],
): K[] {
  // The sort is stable, so siblings keep their given order within north stars and the rest.
  return inTreeOrder([...list].sort((a, b) => Number(b.isNorthStar) - Number(a.isNorthStar)));
}

const STATUS_RANK: Record<Status, number> = {
  off_track: 0,
  at_risk: 1,
  on_track: 2,
  in_progress: 3,
  no_data: 4,
};

/** Worst first: off track before at risk, lowest pace progress first within each. */
export function byUrgency(
  a: { view: { status: Status; paceProgress: number | null } },
  b: { view: { status: Status; paceProgress: number | null } },
): number {
  return (
    STATUS_RANK[a.view.status] - STATUS_RANK[b.view.status] ||
    (a.view.paceProgress ?? 0) - (b.view.paceProgress ?? 0)
  );
}

/**
 * A KPI someone should have recorded for the period and has not: owned, recorded by hand
 * (manual rollup), no value. The explorer's `missing` filter (lib/domain/kpi-filter) is the same rule.
 */
export function isMissing(
  k: Pick<SectionKpi, 'ownerUserId' | 'rollup'> & { view: { value: string | null } },
): boolean {
  return !!k.ownerUserId && k.rollup === 'manual' && k.view.value === null;
}

/**
 * The people (of `people`) owning hand-recorded KPIs without a value for the period, most missing
 * first then by name: the first DASHBOARD_LIMITS.notReported, with exact counts.
 */
export function listNotReported(
  kpis: readonly SectionKpi[],
  people: readonly PersonRef[],
): { items: NotReported[]; count: number; missingKpiCount: number } {
  const owned = new Map<string, SectionKpi[]>();
  for (const k of kpis) {
    if (k.ownerUserId && k.rollup === 'manual') {
      const list = owned.get(k.ownerUserId);
      if (list) list.push(k);
      else owned.set(k.ownerUserId, [k]);
    }
  }
  const all: { person: PersonRef; missing: SectionKpi[]; due: number }[] = [];
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

function adminSection<U extends SectionUnit>(
  kpis: readonly SectionKpi[],
  team: readonly SectionKpi[],
  unitRefs: readonly U[],
  unitParent: ReadonlyMap<string, string | null>,
  people: readonly PersonRef[],
): AdminSection<U> {
  const L = DASHBOARD_LIMITS;
  const root = unitRefs.find((u) => u.kind === 'company');
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
  const projectedOf = new Map<string, ProjectedCounts>(
    topUnits.map((u) => [u.id, { on_track: 0, at_risk: 0, off_track: 0, total: 0 }]),
  );
  const ownOf = new Map<string, SectionKpi[]>(topUnits.map((u) => [u.id, []]));
  for (const k of team) {
    const top = topOf.get(k.unitId);
    if (!top) continue;
    const counts = countsOf.get(top)!;
    counts[k.view.status] += 1;
    counts.total += 1;
    countProjected(projectedOf.get(top)!, k);
    if (k.unitId === top) ownOf.get(top)!.push(k);
  }
  return {
    companyKpis: firstDtos(companyKpis, L.scorecard),
    companyKpiCount: companyKpis.length,
    units: topUnits.slice(0, L.unitCards).map((unit) => {
      const own = treeOrder(ownOf.get(unit.id) ?? []);
      return {
        unit,
        counts: countsOf.get(unit.id) ?? emptyCounts(),
        projected: projectedOf.get(unit.id) ?? { on_track: 0, at_risk: 0, off_track: 0, total: 0 },
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

function leadSection<U extends SectionUnit>(
  actor: SectionActor,
  kpis: readonly SectionKpi[],
  team: readonly SectionKpi[],
  unitRefs: readonly U[],
  unitParent: ReadonlyMap<string, string | null>,
  people: readonly PersonRef[],
): LeadSection<U> {
  const L = DASHBOARD_LIMITS;
  const led = actor.ledUnitIds.filter((id) => unitParent.has(id));
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
  return {
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

/** The actor's own KPIs, individual first then by name, each with its line up the cascade. */
function memberSection(actor: SectionActor, kpis: readonly SectionKpi[]): MemberSection {
  const byId = new Map(kpis.map((k) => [k.id, k]));
  const parentOf = new Map(kpis.map((k) => [k.id, k.parentId]));
  const owned = kpis
    .filter((k) => k.ownerUserId === actor.userId)
    .sort(
      (a, b) => Number(b.isIndividual) - Number(a.isIndividual) || a.name.localeCompare(b.name),
    );
  const targets = owned.slice(0, DASHBOARD_LIMITS.targets).map((k) => ({
    ...toDashboardKpiDto(k),
    line: ancestorIds(k.id, parentOf)
      .map((id) => byId.get(id))
      .filter((a): a is SectionKpi => !!a)
      .map((a) => ({ id: a.id, name: a.name, isNorthStar: a.isNorthStar })),
  }));
  return { targets, targetCount: owned.length };
}

/**
 * Builds the bounded sections from the actor's visible KPIs (the caller filters by what the actor
 * may see; this decides nothing about permissions): `admin` org-wide, `lead` over the subtrees of
 * the actor's led units, `mine` over the KPIs the actor owns. Parts not asked for are null.
 */
export function buildSections<U extends SectionUnit>(
  actor: SectionActor,
  kpis: readonly SectionKpi[],
  unitRefs: readonly U[],
  people: readonly PersonRef[],
  parts: { admin: boolean; lead: boolean; mine: boolean },
): Sections<U> {
  const unitParent = new Map(unitRefs.map((u) => [u.id, u.parentId]));
  const team = kpis.filter((k) => !k.isIndividual);
  return {
    admin: parts.admin ? adminSection(kpis, team, unitRefs, unitParent, people) : null,
    lead: parts.lead ? leadSection(actor, kpis, team, unitRefs, unitParent, people) : null,
    mine: parts.mine ? memberSection(actor, kpis) : null,
  };
}
