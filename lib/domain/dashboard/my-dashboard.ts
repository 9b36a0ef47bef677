import { coverageText } from '@/lib/domain/period-coverage';
import type { TimeAggregation } from '@/lib/domain/aggregation';
import type { MeasureUnit } from '@/lib/domain/format';
import type { Status } from '@/lib/domain/progress';
import type { DashboardPeriod } from './periods';
import type { LineStep, MemberSection, ProjectedEnd } from './types';

/*
 * The member's interactive section as the client takes it: my targets and, for the current
 * period, the one-screen check-in rows. No I/O; the DAL loads the check-ins due.
 */

/** What the one-screen check-in form needs about one KPI's current period. */
export type CheckinDue = {
  kpiId: string;
  /** The latest check-in of any period (pre-fills the form). */
  last: { id: string; value: string; observedOn: string; version: number } | null;
  /** The latest check-in dated in the KPI's current period: saving a change edits it. */
  inPeriod: { id: string; value: string; observedOn: string; version: number } | null;
};

export type MeasureDto = {
  measureUnit: MeasureUnit;
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
  timeAggregation: TimeAggregation;
  /** The actual as a share of the full target (the percent shown). */
  share: number | null;
  paceProgress: number | null;
  status: Status;
  /** True when pace (pro-rated target) is what status is judged on: a flow in its open period. */
  showPace: boolean;
  coverage: string | null;
  line: LineStep[];
  /**
   * Where the period is projected to end, the dashboard's figure (absent: a complete period or no
   * projection), see lib/dal/kpis/org-projections.ts.
   */
  projected?: ProjectedEnd;
};

/** One row of the one-screen check-in: a KPI I record, in its own current period. */
export type CheckinRowDto = {
  kpiId: string;
  name: string;
  periodLabel: string;
  periodStart: string;
  measure: MeasureDto;
  timeAggregation: TimeAggregation;
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

/** The measure of a KPI alone (drops every other field). */
export function measureOf(k: MeasureDto): MeasureDto {
  return { measureUnit: k.measureUnit, currency: k.currency, decimals: k.decimals };
}

/**
 * Maps the member section (and its check-ins due) to the client DTO. A check-in due for a KPI
 * that is not among the section's targets is dropped.
 */
export function toMyDashboardDto(
  period: DashboardPeriod,
  today: string,
  mine: MemberSection,
  due: readonly CheckinDue[],
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
      share: t.view.share,
      paceProgress: t.view.paceProgress,
      status: t.view.status,
      showPace:
        t.timeAggregation === 'sum' &&
        period.isCurrent &&
        t.view.start <= today &&
        t.view.paceProgress !== null,
      coverage: coverageText(t, t.view),
      line: t.line,
      ...(t.projected ? { projected: t.projected } : {}),
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
