import type { DriverLinks, KpiLinkRef } from '@/lib/domain/driver-links';
import type { KpiPeriodView, KpiSummary } from '@/lib/domain/kpi-summary';
import type { Status } from '@/lib/domain/progress';
import type { UnitKind } from '@/lib/domain/tree';

/*
 * The shapes the dashboard rules read and produce, over the KPI summary of lib/domain/kpi-summary
 * (the DAL's list of KPIs) and the unit refs the DAL lists.
 */

/** One KPI's value, target and status for one period. */
export type PeriodView = KpiPeriodView;

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
  | 'category'
  | 'indicator'
  | 'measureUnit'
  | 'currency'
  | 'decimals'
  | 'direction'
  | 'cadence'
  | 'timeAggregation'
  | 'rollup'
  | 'archivedOn'
  | 'current'
> & {
  /** Its value over the selected period. */
  view: KpiPeriodView;
  /** Its formula links among the KPIs the actor sees (absent: none), see withFormulaLinks. */
  links?: DriverLinks<DashboardKpiRef>;
  /**
   * Where its open period is projected to end (absent: a complete period, a view that is not
   * its own open period, or no projection), see lib/dal/kpis/org-projections.ts.
   */
  projected?: ProjectedEnd;
};

/** A projected period end as dashboards and reports show it ("projected 92% of target, at risk"). */
export type ProjectedEnd = { value: string; share: number | null; status: Status };

/**
 * A KPI named by a dashboard KPI's formula links: enough to link to it and to show its value and
 * status over the selected period (the north star card lists its drivers so).
 */
export type DashboardKpiRef = KpiLinkRef &
  Pick<KpiSummary, 'measureUnit' | 'currency' | 'decimals'> & {
    view: Pick<KpiPeriodView, 'value' | 'status' | 'paceProgress'>;
  };

/** What the section rules read of a KPI: the DTO's fields and its owner's home unit. */
export type SectionKpi = DashboardKpiDto & { ownerHomeUnitId: string | null };

/** What the section rules read of a unit. */
export type SectionUnit = { id: string; parentId: string | null; kind: UnitKind };

/** Who the sections are built for (the actor of the org context). */
export type SectionActor = { userId: string; ledUnitIds: readonly string[] };

export type StatusCounts = Record<Status, number> & { total: number };

export type PersonRef = { userId: string; name: string; homeUnitId: string; homeUnitName: string };

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

/**
 * How many KPIs are projected to end the open period on track, at risk and off track; `total`
 * counts the KPIs with a projection against a target (the rest have none: a complete period, no
 * target, no history).
 */
export type ProjectedCounts = Record<'on_track' | 'at_risk' | 'off_track', number> & {
  total: number;
};

export type UnitScorecard<U> = {
  unit: U;
  /** The subtree's team KPIs by status (the card's "N KPIs" is counts.total). */
  counts: StatusCounts;
  /** The same KPIs by projected status at the end of the open period (see ProjectedCounts). */
  projected: ProjectedCounts;
  /** The unit's own KPIs (not its teams'), north stars first: the first few. */
  kpis: DashboardKpiDto[];
  kpiCount: number;
};

export type NotReported = {
  person: PersonRef;
  /** The first DASHBOARD_LIMITS.missingPerPerson of them; missingCount counts all. */
  missing: { id: string; name: string }[];
  missingCount: number;
  due: number;
};

export type AdminSection<U> = {
  /** Company-level team KPIs in tree order (the first DASHBOARD_LIMITS.scorecard). */
  companyKpis: DashboardKpiDto[];
  companyKpiCount: number;
  /** Departments (and teams directly under the company), the first DASHBOARD_LIMITS.unitCards. */
  units: UnitScorecard<U>[];
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

export type LeadSection<U> = {
  ledUnits: U[];
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

export type Sections<U> = {
  admin: AdminSection<U> | null;
  lead: LeadSection<U> | null;
  mine: MemberSection | null;
};
