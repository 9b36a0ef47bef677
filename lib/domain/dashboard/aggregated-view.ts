import { aggregateValues, type TimeAggregation } from '@/lib/domain/aggregation';
import { Dec, roundValue, sumDec, toPlainString } from '@/lib/domain/decimal';
import { evaluatePeriod, type Direction, type Thresholds } from '@/lib/domain/progress';
import type { DashboardPeriod } from './periods';
import type { PeriodView } from './types';

/*
 * A KPI with a shorter cadence than the selected period, evaluated over it: three months make a
 * quarter, combined by the KPI's own time aggregation. No I/O; the DAL loads what is stored.
 */

/**
 * The target of a KPI over several of its own periods, combined by its time aggregation: `last`
 * takes the target of the last started one, `sum` adds them, `average` averages them; a missing
 * target makes the sum and the average unknown.
 */
export function combinedTarget(
  kpi: { timeAggregation: TimeAggregation },
  targets: readonly (string | null)[],
  lastStarted: number,
): string | null {
  if (targets.length === 0) return null;
  if (kpi.timeAggregation === 'last') return targets[Math.max(0, lastStarted)] ?? null;
  if (targets.some((t) => t === null)) return null;
  const list = targets as string[];
  if (kpi.timeAggregation === 'sum') return toPlainString(sumDec(list));
  return roundValue(sumDec(list).div(new Dec(list.length)));
}

/** A stored period value of a KPI. */
export type StoredValue = { value: string; childrenReported: number; childrenExpected: number };

/** What aggregation reads of the KPI. */
export type AggregatedKpi = {
  timeAggregation: TimeAggregation;
  baseline: string | null;
  direction: Direction;
  current: { childrenExpected: number };
};

/**
 * The KPI's view over `period` from its own periods inside it (oldest first): each with its
 * stored value (if any) and its target (override or default). Periods starting after the as-of
 * date do not count for a `last` target; a period without any value has status `no_data`.
 */
export function aggregatedView(
  kpi: AggregatedKpi,
  period: DashboardPeriod,
  parts: readonly { start: string; stored: StoredValue | undefined; target: string | null }[],
  today: string,
  thresholds: Thresholds,
): PeriodView {
  const lastStarted = parts.filter((p) => p.start <= period.asOf).length - 1;
  const rows = parts.map((p) => p.stored).filter((r) => r !== undefined);
  const value = aggregateValues(
    kpi.timeAggregation,
    rows.map((r) => r.value),
  );
  const target = combinedTarget(
    kpi,
    parts.map((p) => p.target),
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
    thresholds,
  });
  const latest = rows[rows.length - 1];
  return {
    start: period.start,
    label: period.label,
    value,
    target: evaluation.target,
    share: evaluation.share,
    paceProgress: evaluation.paceProgress,
    status: value === null ? 'no_data' : evaluation.status,
    childrenReported: latest?.childrenReported ?? 0,
    childrenExpected: latest?.childrenExpected ?? kpi.current.childrenExpected,
  };
}
