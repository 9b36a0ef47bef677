import type { TimeAggregation } from '@/lib/domain/aggregation';
import type { MeasureUnit } from '@/lib/domain/format';
import { periodLabel, type Cadence } from '@/lib/domain/periods';
import {
  evaluatePeriod,
  type Direction,
  type Status,
  type Thresholds,
} from '@/lib/domain/progress';
import type { RollupMethod } from '@/lib/domain/rollup';
import type { MissingPolicy } from '@/lib/domain/formula/catalogue';
import { parseFormula } from '@/lib/domain/formula/parser';
import { distinctReads } from '@/lib/domain/formula/references';
import type { NoValueReason } from '@/lib/domain/formula/evaluate';

/** One KPI's value, target and status for one of its periods. */
export type KpiPeriodView = {
  start: string;
  label: string;
  value: string | null;
  target: string | null;
  /** The actual as a share of the full target: the percent and bar shown everywhere. */
  share: number | null;
  paceProgress: number | null;
  status: Status;
  childrenReported: number;
  childrenExpected: number;
  /** True when `target` is the one a formula KPI's inputs imply (it has none of its own). */
  targetImplied?: boolean;
  /** A formula period without a value: the reads that had none (`key`, `prev(key)`). */
  missingInputs?: string[];
  /** A formula period without a value although an input reported: why. */
  noValueReason?: NoValueReason | null;
};

/** A KPI as lists and trees show it, with its current period. */
export type KpiSummary = {
  id: string;
  key: string | null;
  name: string;
  unitId: string;
  unitName: string;
  ownerUserId: string | null;
  ownerName: string | null;
  parentId: string | null;
  isIndividual: boolean;
  isNorthStar: boolean;
  measureUnit: MeasureUnit;
  currency: string | null;
  decimals: number;
  direction: Direction;
  cadence: Cadence;
  timeAggregation: TimeAggregation;
  rollup: RollupMethod;
  /** The expression of a `formula` KPI (canonical text), else null. */
  formula: string | null;
  /** The keys a formula reads (any period), sorted; [] for every other rollup. */
  formulaInputs: string[];
  /** How a formula treats an input without a value. */
  missingPolicy: MissingPolicy;
  category: 'strategic' | 'operational' | 'functional';
  indicator: 'leading' | 'lagging';
  archivedOn: string | null;
  /** Home unit of the owner (individual KPI scope of a lead). */
  ownerHomeUnitId: string | null;
  baseline: string | null;
  defaultTarget: string | null;
  /** Version seen (optimistic concurrency of edits, links and archiving). */
  version: number;
  current: KpiPeriodView;
};

/** Why a formula period has no value although an input reported, and its coverage. */
export type FormulaGap = {
  reported: number;
  expected: number;
  missing: string[];
  reason: NoValueReason;
};

/**
 * Stored period values and target overrides, keyed `kpiId|periodStart`; for formula KPIs also
 * the coverage of periods without a value and the implied targets of periods without their own
 * (computed on read: lib/dal/kpis/formula-period-facts.ts).
 */
export type PeriodInputs = {
  values: Map<string, { value: string; childrenReported: number; childrenExpected: number }>;
  targets: Map<string, string>;
  formulaGaps?: Map<string, FormulaGap>;
  impliedTargets?: Map<string, string>;
};

/** The org settings a period view depends on. */
export type PeriodViewOrg = {
  fyStartMonth: number;
  /** The organization's locale: period labels are written its way. */
  locale: string;
  greenThreshold: number;
  amberThreshold: number;
  /** Share of an open period before flows are graded (see `Thresholds.minElapsed`). */
  gradingMinElapsed: number;
};

/** The grading settings of an organization as `evaluatePeriod` takes them. */
export function orgThresholds(org: Omit<PeriodViewOrg, 'fyStartMonth' | 'locale'>): Thresholds {
  return {
    green: org.greenThreshold,
    amber: org.amberThreshold,
    minElapsed: org.gradingMinElapsed,
  };
}

const readsCount = new Map<string, number>();

/**
 * How many inputs a formula reads for one period (distinct key and `prev` offset pairs: what a
 * computed period's coverage counts). Memoized by text. Pure.
 */
export function formulaExpectedInputs(formula: string): number {
  let n = readsCount.get(formula);
  if (n === undefined) {
    n = distinctReads(parseFormula(formula)).length;
    if (readsCount.size > 10_000) readsCount.clear();
    readsCount.set(formula, n);
  }
  return n;
}

/**
 * One KPI's view of the period starting `start`: the stored value (none: `no_data`), the override
 * target or else the default one (for a formula KPI with neither: the implied one, flagged), progress and status against the org's thresholds. A period not
 * computed yet expects `expectedChildren` children, or for a formula KPI its inputs (of which
 * none counts as reported: a formula without a value stores nothing). Pure; no tenant or
 * permission rule.
 */
export function periodView(
  org: PeriodViewOrg,
  kpi: {
    id: string;
    cadence: Cadence;
    direction: Direction;
    timeAggregation: TimeAggregation;
    baseline: string | null;
    defaultTarget: string | null;
    formula?: string | null;
  },
  start: string,
  inputs: PeriodInputs,
  today: string,
  expectedChildren: number,
): KpiPeriodView {
  const stored = inputs.values.get(`${kpi.id}|${start}`);
  const own = inputs.targets.get(`${kpi.id}|${start}`) ?? kpi.defaultTarget;
  const implied = own === null ? (inputs.impliedTargets?.get(`${kpi.id}|${start}`) ?? null) : null;
  const target = own ?? implied;
  const gap = stored ? undefined : inputs.formulaGaps?.get(`${kpi.id}|${start}`);
  const evaluation = evaluatePeriod({
    actual: stored?.value ?? null,
    target,
    baseline: kpi.baseline,
    direction: kpi.direction,
    timeAggregation: kpi.timeAggregation,
    periodStart: start,
    cadence: kpi.cadence,
    today,
    thresholds: orgThresholds(org),
  });
  return {
    start,
    label: periodLabel(start, kpi.cadence, org.fyStartMonth, org.locale),
    value: stored?.value ?? null,
    target,
    share: evaluation.share,
    paceProgress: evaluation.paceProgress,
    status: stored ? evaluation.status : 'no_data',
    childrenReported: stored?.childrenReported ?? gap?.reported ?? 0,
    childrenExpected:
      stored?.childrenExpected ??
      gap?.expected ??
      (kpi.formula ? formulaExpectedInputs(kpi.formula) : expectedChildren),
    targetImplied: implied !== null,
    missingInputs: gap?.missing ?? [],
    noValueReason: gap?.reason ?? null,
  };
}

/**
 * The summary fields of a KPI row (extra columns such as description or weight are dropped, so
 * nothing more reaches a client) with its current period. Pure.
 */
export function toSummary<T extends Record<string, unknown>>(
  row: T,
  current: KpiPeriodView,
): KpiSummary {
  const r = row as unknown as KpiSummary;
  return {
    id: r.id,
    key: r.key,
    name: r.name,
    unitId: r.unitId,
    unitName: r.unitName,
    ownerUserId: r.ownerUserId,
    ownerName: r.ownerName,
    parentId: r.parentId,
    isIndividual: r.isIndividual,
    isNorthStar: r.isNorthStar,
    measureUnit: r.measureUnit,
    currency: r.currency,
    decimals: r.decimals,
    direction: r.direction,
    cadence: r.cadence,
    timeAggregation: r.timeAggregation,
    rollup: r.rollup,
    formula: r.formula ?? null,
    formulaInputs: r.formulaInputs ?? [],
    missingPolicy: r.missingPolicy ?? 'strict',
    category: r.category,
    indicator: r.indicator,
    archivedOn: r.archivedOn,
    ownerHomeUnitId: r.ownerHomeUnitId,
    baseline: r.baseline,
    defaultTarget: r.defaultTarget,
    version: r.version,
    current,
  };
}

/** Number of children that count toward each parent now (not archived). Pure. */
export function activeChildCounts(
  rows: readonly { parentId: string | null; archivedOn: string | null }[],
): Map<string, number> {
  const counts = new Map<string, number>();
  for (const row of rows) {
    if (row.parentId && !row.archivedOn)
      counts.set(row.parentId, (counts.get(row.parentId) ?? 0) + 1);
  }
  return counts;
}
