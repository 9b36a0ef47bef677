import type {
  AdminSection as AdminSectionOf,
  DashboardKpiDto,
  ProjectedEnd,
  LeadSection as LeadSectionOf,
  MemberSection,
  UnitScorecard as UnitScorecardOf,
} from '@/lib/domain/dashboard/types';
import type { DashboardPeriod, PeriodOption } from '@/lib/domain/dashboard/periods';
import type { KpiPeriodView, KpiSummary } from '@/lib/domain/kpi-summary';
import type { KpiHealth } from '@/lib/dal/kpi-quality/health';
import type { UnitRef } from '@/lib/dal/units/refs';

/*
 * The dashboard's DTO types over the DAL's unit refs (the section shapes themselves are the
 * domain's: lib/domain/dashboard/types).
 */

/**
 * A KPI on the dashboard: its summary (`current` = its own period containing the as-of date) and
 * `view` = its value over the selected period. A KPI with a shorter cadence than the selected
 * period is time-aggregated over it (three months make a quarter, by the KPI's own method); a
 * KPI with a longer cadence shows its own period containing the selected one.
 */
export type DashboardKpi = KpiSummary & { view: KpiPeriodView; projected?: ProjectedEnd };

export type UnitScorecard = UnitScorecardOf<UnitRef>;
export type AdminSection = AdminSectionOf<UnitRef>;
export type LeadSection = LeadSectionOf<UnitRef>;

export type NorthStarCard = {
  kpi: DashboardKpiDto;
  /** Its own periods up to the selected one, oldest first (numbers for drawing only); the open
   * period, if shown, is `partial` (its value so far). */
  trend: { label: string; value: number | null; partial: boolean }[];
};

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

/** The KPI focus card, bounded like every dashboard list (the counts stay exact). */
export type DashboardHealth = KpiHealth & {
  counts: { unitsOverLimit: number; peopleOverLimit: number; retireCandidates: number };
};
