import { aggregateValues } from '@/lib/domain/aggregation';
import { isChildIncluded } from '@/lib/domain/cascade-compute';
import { combinedTarget } from '@/lib/domain/dashboard/aggregated-view';
import { Dec, roundValue, toDec, type DecValue } from '@/lib/domain/decimal';
import { plainDec40 } from '@/lib/domain/formula/decimal40';
import { evaluateFormula } from '@/lib/domain/formula/evaluate';
import { inputValueFor, shiftPeriod } from '@/lib/domain/formula/period-inputs';
import {
  cadenceMonths,
  elapsedFraction,
  isCadenceNoLongerThan,
  periodEndExclusive,
  subPeriodStarts,
  type Cadence,
} from '@/lib/domain/periods';
import {
  DEFAULT_THRESHOLDS,
  progressAgainst,
  statusFor,
  type Direction,
  type Status,
  type Thresholds,
} from '@/lib/domain/progress';
import { isArithmeticRollup, rollupChildren } from '@/lib/domain/rollup';
import {
  kpiCatalogue,
  type AttributionKpi,
  type KpiCatalogue,
} from '@/lib/domain/attribution/tree';
import { leadChecks, type LeadCheck } from './lead-informed';
import {
  arrivalSamples,
  arrivedShare,
  credibility,
  forecasterWith,
  intraPeriodForecast,
  pastErrors,
  PROJECTION_METHOD,
  quantile,
  SHAPE_WINDOW,
  toSeries,
  type Reading,
  TREND_WINDOW,
} from './methods';
import type { SeriesMemo } from './series-memo';

/*
 * Where a KPI will land at the end of a period (issue 24, item 1), pure:
 * - a flow (`sum`) in its open period: the value so far plus the share of the period still to
 *   come of a forecast of the whole period (PROJECTION_METHOD: the trend of recent periods),
 *   where the share still to come is read from the flow's own check-ins in its past periods
 *   (how much of a period's total had arrived by the same point: arrivedShare; the elapsed share
 *   without them), and the value so far weighs as much as it proved to predict its periods'
 *   totals against the trend in those periods (credibility): intraPeriodForecast, the model the
 *   backtest supports half-way through a period; with no history at all, the run rate (so far /
 *   elapsed share);
 * - a level or rate (`last`, `average`): the trend of recent periods, blended with the value so
 *   far by the elapsed share;
 * - a computed parent: its rollup over its children's projections; a formula: its formula over
 *   its drivers' projections (earlier periods read through prev() are facts), so projections are
 *   consistent up the tree;
 * - a range from the method's own past errors (the 80th percentile of its one-step absolute
 *   percentage errors over the history, on the share of the period still to come); for computed
 *   KPIs, the rollup or formula applied to the children's low and high ends;
 * - a projected status: the projection against the full target by the status rules;
 * - a period after the open one (a month later in the quarter): the forecast that many periods
 *   ahead of the last complete one (no value so far), its prev() reads of periods not complete
 *   yet being their projections; a KPI over a longer period than its own (a monthly KPI on a
 *   quarter's dashboard): its periods inside it, complete ones as they are and the others
 *   projected, combined by its time aggregation as the dashboard combines them (projectionOver);
 * - a KPI projected from its own history with leading KPIs (`leads`): the trend informed by a
 *   lead where the lead earned it on this KPI's own past (lead-informed.ts: leadChecks), each
 *   lead's verdict and the change the one used made (a computed KPI's projection is its parts':
 *   its leads inform nothing). A lead informs the open period only: a period after it is the
 *   trend's forecast that many periods ahead.
 */

/**
 * A manual flow's check-ins over the periods its projection reads, for its intra-period shape;
 * without them a period is taken to arrive evenly (the arrived share is the elapsed share).
 */
type FlowReadings = { checkins?: readonly Reading[] };

/**
 * A KPI as projection reads it: attribution's catalogue entry plus its direction and the ids of
 * its leading KPIs (lib/domain/forecast/leading.ts: leadsInto), in the same catalogue.
 */
export type ForecastKpi = AttributionKpi &
  FlowReadings & { direction: Direction; leads?: readonly string[] };

/** What a KPI's leads did to its projection (issue 24, item 3). */
export type ProjectionLead = {
  /** A computed KPI: its projection is its children's or inputs', so no lead informs it. */
  fromParts: boolean;
  /** Each lead's verdict on this KPI's own past (empty from parts). */
  checks: LeadCheck[];
  /** The lead used, its lag and how much it moved the projected value from the trend's (exact). */
  used: { leadId: string; lag: number; shift: string } | null;
};

/** How a projection was made. */
export type ProjectionMethod =
  'actual' | 'run_rate' | 'run_rate_and_trend' | 'trend' | 'rollup' | 'formula' | 'periods';

/** A KPI's projected value at the end of one period. */
export type Projection = {
  kpiId: string;
  periodStart: string;
  method: ProjectionMethod | null;
  /** Elapsed share of the period (0..1). */
  elapsed: number;
  soFar: string | null;
  value: string | null;
  low: string | null;
  high: string | null;
  target: string | null;
  /** value / target (display), null without both or with a target of 0. */
  share: number | null;
  status: Status;
  /** How many past forecasts the range comes from (0: no range from history). */
  errorsUsed: number;
  /**
   * Its leads' part in it; null without leads (or for a closed period, or over a longer period
   * than the KPI's own: projectionOver, whose open period alone may be lead-informed).
   */
  lead: ProjectionLead | null;
};

/**
 * A projection as dashboards and reports show it, when it is for the period shown (`start`) and
 * that period is still open; else null.
 */
export function projectedEnd(
  p: Projection | undefined,
  start: string,
): { value: string; share: number | null; status: Status } | null {
  if (!p || p.periodStart !== start || p.value === null || p.method === 'actual') return null;
  return { value: p.value, share: p.share, status: p.status };
}

/** Periods of history each projection reads (two years and a season). */
export const PROJECTION_HISTORY = { month: 27, quarter: 9, year: 5 } as const;

/** Share of past errors kept inside the range. */
export const RANGE_QUANTILE = 0.8;

/** One node's projected value and range (a series node's is what SeriesMemo keeps). */
export type Point = {
  value: DecValue | null;
  low: DecValue | null;
  high: DecValue | null;
  method: ProjectionMethod | null;
  errorsUsed: number;
  /** At the KPI's own cadence, for a KPI with leads. */
  lead?: ProjectionLead;
};

const NONE: Point = { value: null, low: null, high: null, method: null, errorsUsed: 0 };

/**
 * The projection of KPI `kpiId` for its period starting `start` on `today`, over the KPIs given
 * (its subtree and formula inputs). Throws a RangeError for an unknown id.
 */
export function projectKpi(
  kpis: readonly ForecastKpi[],
  kpiId: string,
  start: string,
  today: string,
  thresholds: Pick<Thresholds, 'green' | 'amber'> = DEFAULT_THRESHOLDS,
): Projection {
  const { cat, kpi } = catalogueKpi(kpis, kpiId);
  return projectionOf({ cat, today, memo: new Map(), ranges: true }, kpi, start, thresholds);
}

/**
 * The projections of many KPIs of one catalogue at once (the dashboard's and the report's read
 * model): for each KPI for which `startOf` gives a period start, its projection for that period,
 * equal to projectKpi over the same KPIs. One catalogue and one memo of every node's point, so
 * a whole organization costs one projection per KPI and period, not one per KPI and ancestor.
 * `ranges: false` leaves out the ranges (low = high = value, errorsUsed 0; value, share and
 * status unchanged): what dashboards and reports show costs a fraction of it. With `over` (a
 * dashboard's period), a KPI of a shorter cadence than `over` is projected over that period
 * instead (projectionOver: its periods in it combined as the dashboard combines them).
 * (The memo assumes no cycles among parents and formula inputs: both are refused on save.)
 * With `series` (a SeriesMemo of earlier runs over the same organization and day), a KPI
 * projected from its own history whose inputs are unchanged is taken from it, not computed
 * again: the same point, so the same projections; rollups and formulas are combined again.
 */
export function projectCatalogue(
  kpis: readonly ForecastKpi[],
  startOf: (kpi: ForecastKpi) => string | null,
  today: string,
  thresholds: Pick<Thresholds, 'green' | 'amber'> = DEFAULT_THRESHOLDS,
  options: {
    ranges?: boolean;
    over?: { start: string; cadence: Cadence };
    series?: SeriesMemo<Point>;
  } = {},
): Map<string, Projection> {
  const run: Run = {
    cat: kpiCatalogue(kpis),
    today,
    memo: new Map(),
    ranges: options.ranges ?? true,
    ahead: new Map(),
    series: options.series,
  };
  const result = new Map<string, Projection>();
  const over = options.over;
  for (const kpi of kpis) {
    const start = startOf(kpi);
    if (start === null) continue;
    result.set(
      kpi.id,
      over && cadenceMonths(kpi.cadence) < cadenceMonths(over.cadence)
        ? projectionOver(run, kpi, over, thresholds)
        : projectionOf(run, kpi, start, thresholds),
    );
  }
  return result;
}

/**
 * The projection of KPI `kpiId` over a period of a longer cadence than its own (`over`: a
 * monthly KPI over its quarter or year), over the KPIs given: see projectionOver. Throws a
 * RangeError for an unknown id or a cadence that is not shorter.
 */
export function projectKpiOver(
  kpis: readonly ForecastKpi[],
  kpiId: string,
  over: { start: string; cadence: Cadence },
  today: string,
  thresholds: Pick<Thresholds, 'green' | 'amber'> = DEFAULT_THRESHOLDS,
): Projection {
  const { cat, kpi } = catalogueKpi(kpis, kpiId);
  if (cadenceMonths(kpi.cadence) >= cadenceMonths(over.cadence)) {
    throw new RangeError(`A ${kpi.cadence} KPI is not shorter than a ${over.cadence}`);
  }
  return projectionOver(
    { cat, today, memo: new Map(), ranges: true, ahead: new Map() },
    kpi,
    over,
    thresholds,
  );
}

/** The catalogue of `kpis` and its KPI `kpiId`; a RangeError for an unknown id. */
function catalogueKpi(
  kpis: readonly ForecastKpi[],
  kpiId: string,
): { cat: KpiCatalogue; kpi: ForecastKpi } {
  const cat = kpiCatalogue(kpis);
  const kpi = cat.byId.get(kpiId) as ForecastKpi | undefined;
  if (!kpi) throw new RangeError(`Unknown KPI ${kpiId}`);
  return { cat, kpi };
}

/**
 * One projection run: the catalogue, today, the points already projected (`id|cadence|start`
 * -> point), and whether to compute ranges (the past errors are most of the work; lists that
 * show no range skip them); `ahead`: each series' history and fitted forecast (`id|cadence` ->
 * them) for the periods after the open one, which all read the same history (the months still
 * to come of a quarter); `series`: series points of earlier runs (SeriesMemo), if kept.
 */
type Run = {
  cat: KpiCatalogue;
  today: string;
  memo: Map<string, Point>;
  ranges: boolean;
  ahead?: Map<string, Fitted>;
  series?: SeriesMemo<Point>;
};

/** A series' history (oldest first) and its forecast at any distance after it. */
type Fitted = { series: (DecValue | null)[]; at: (ahead: number) => DecValue | null };

/** One node to project: a KPI read at a cadence for a period, and the KPIs on the way to it. */
type Node = {
  run: Run;
  kpi: AttributionKpi & FlowReadings & Pick<ForecastKpi, 'leads'>;
  cadence: Cadence;
  start: string;
  path: ReadonlySet<string>;
};

function projectionOf(
  run: Run,
  kpi: ForecastKpi,
  start: string,
  thresholds: Pick<Thresholds, 'green' | 'amber'>,
): Projection {
  const p = projectNode({ run, kpi, cadence: kpi.cadence, start, path: new Set([kpi.id]) });
  const elapsed = elapsedFraction(start, kpi.cadence, run.today);
  const target = run.cat.target(kpi, start).value;
  const value = p.value === null ? null : roundValue(p.value);
  const { share, status } = judged(kpi, value, target, thresholds);
  return {
    kpiId: kpi.id,
    periodStart: start,
    method: p.method,
    elapsed,
    soFar: kpi.values.get(start) ?? null,
    value,
    low: p.low === null ? null : roundValue(p.low),
    high: p.high === null ? null : roundValue(p.high),
    target,
    share,
    status,
    errorsUsed: p.errorsUsed,
    lead: p.lead ?? null,
  };
}

/** A projected value against a target: its share of it and its status by the status rules. */
function judged(
  kpi: ForecastKpi,
  value: string | null,
  target: string | null,
  thresholds: Pick<Thresholds, 'green' | 'amber'>,
): { share: number | null; status: Status } {
  if (value === null || target === null) return { share: null, status: 'no_data' };
  const t = toDec(target);
  return {
    share: t.isZero() ? null : toDec(value).div(t).toNumber(),
    status: statusFor(
      progressAgainst({
        actual: value,
        reference: target,
        direction: kpi.direction,
        baseline: kpi.baseline,
        timeAggregation: kpi.timeAggregation,
      }),
      thresholds,
    ),
  };
}

/**
 * A KPI over a period of a longer cadence than its own (`over`), as the dashboard shows it there
 * (lib/domain/dashboard/aggregated-view.ts): each of its own periods inside `over` projected
 * (a complete one is its stored value, the open one its projection, exactly the KPI page's, a
 * later one its forecast that many periods ahead), combined by its time aggregation: a flow's
 * months so far plus its projected months, a level's last month, a rate's average. Its target is
 * its periods' targets combined the same way, a level's being its last period's (where the
 * period ends). Parents stay consistent: each of a parent's periods is the rollup of its
 * children's projections of that period. No lead note (`lead` null): only its open period may
 * be lead-informed, and the KPI page's note is about that period.
 */
function projectionOver(
  run: Run,
  kpi: ForecastKpi,
  over: { start: string; cadence: Cadence },
  thresholds: Pick<Thresholds, 'green' | 'amber'>,
): Projection {
  const { cat, today } = run;
  const starts = subPeriodStarts(over.start, over.cadence, kpi.cadence);
  const points = starts.map((s): Point => {
    // a complete period is its stored value (projectNode's 'actual', without its bookkeeping)
    if (periodEndExclusive(s, kpi.cadence) <= today) {
      const stored = kpi.values.get(s);
      const v = stored === undefined ? null : toDec(stored);
      return { value: v, low: v, high: v, method: 'actual', errorsUsed: 0 };
    }
    return projectNode({ run, kpi, cadence: kpi.cadence, start: s, path: new Set([kpi.id]) });
  });
  const combine = (pick: (p: Point) => DecValue | null) =>
    aggregateValues(
      kpi.timeAggregation,
      points.flatMap((p) => {
        const v = pick(p);
        return v === null ? [] : [roundValue(v)];
      }),
    );
  const value = combine((p) => p.value);
  const soFarValues = starts.flatMap((s) => {
    const v = s <= today ? kpi.values.get(s) : undefined;
    return v === undefined ? [] : [v];
  });
  const target = combinedTarget(
    kpi,
    starts.map((s) => cat.target(kpi, s).value),
    starts.length - 1,
  );
  const { share, status } = judged(kpi, value, target, thresholds);
  const all = (m: ProjectionMethod) => points.every((p) => p.method === m);
  const errors = points.map((p) => p.errorsUsed).filter((n) => n > 0);
  return {
    kpiId: kpi.id,
    periodStart: over.start,
    method: points.length > 0 && all('actual') ? 'actual' : value === null ? null : 'periods',
    elapsed: elapsedFraction(over.start, over.cadence, today),
    soFar: aggregateValues(kpi.timeAggregation, soFarValues),
    value,
    // without ranges every point's ends are its value: no need to combine them again
    low: run.ranges ? combine((p) => p.low) : value,
    high: run.ranges ? combine((p) => p.high) : value,
    target,
    share,
    status,
    errorsUsed: errors.length ? Math.min(...errors) : 0,
    lead: null,
  };
}

/**
 * How many periods of `cadence` the one starting `start` lies after the period containing
 * `today` (0 for that period or an earlier one).
 */
function periodsAhead(start: string, cadence: Cadence, today: string): number {
  let ahead = 0;
  while (shiftPeriod(start, cadence, ahead) > today) ahead += 1;
  return ahead;
}

function periodsPerYear(cadence: Cadence): number {
  return 12 / cadenceMonths(cadence);
}

/** The KPI's values reduced to `cadence`, `back` periods before `start` (0: the period itself). */
function reducedValue(kpi: AttributionKpi, cadence: Cadence, start: string, back: number) {
  // its own cadence: one stored value as it is (what the reduction of one value comes to)
  if (kpi.cadence === cadence) return kpi.values.get(shiftPeriod(start, cadence, back)) ?? null;
  return inputValueFor(kpi, (s) => kpi.values.get(s) ?? null, start, cadence, back);
}

function projectNode(node: Node): Point {
  const { run, kpi, cadence, start } = node;
  const id = `${kpi.id}|${cadence}|${start}`;
  const known = run.memo.get(id);
  if (known) return known;
  const point = projectNodeOnce(node);
  run.memo.set(id, point);
  return point;
}

/** A part of `node` (a child or formula input) read at its cadence, for its period. */
function partOf(node: Node, kpi: AttributionKpi, cadence: Cadence): Node {
  return { run: node.run, kpi, cadence, start: node.start, path: new Set([...node.path, kpi.id]) };
}

/** The leads of a computed KPI inform nothing: its projection is its parts'. */
function fromParts(node: Node, point: Point): Point {
  const own = node.kpi.cadence === node.cadence && (node.kpi.leads?.length ?? 0) > 0;
  return own ? { ...point, lead: { fromParts: true, checks: [], used: null } } : point;
}

function projectNodeOnce(node: Node): Point {
  const { run, kpi, cadence, start, path } = node;
  const elapsed = elapsedFraction(start, cadence, run.today);
  const soFar = reducedValue(kpi, cadence, start, 0);
  if (elapsed >= 1) {
    const v = soFar === null ? null : toDec(soFar);
    return { value: v, low: v, high: v, method: 'actual', errorsUsed: 0 };
  }
  // Computed KPIs of the same cadence: combine their parts' projections.
  if (kpi.cadence === cadence && isArithmeticRollup(kpi.rollup)) {
    const kids = (run.cat.children.get(kpi.id) ?? []).filter(
      (c) => isChildIncluded(c, start) && !path.has(c.id),
    );
    const points = kids.map((c) => projectNode(partOf(node, c, cadence)));
    const combine = (pick: (p: Point) => DecValue | null) => {
      const v = rollupChildren(
        kpi.rollup as Exclude<typeof kpi.rollup, 'manual' | 'formula'>,
        kids.map((c, i) => {
          const x = points[i] ? pick(points[i] as Point) : null;
          return { value: x === null ? null : x.toFixed(), weight: c.weight };
        }),
      ).value;
      return v === null ? null : toDec(v);
    };
    return fromParts(node, {
      value: combine((p) => p.value),
      low: combine((p) => p.low),
      high: combine((p) => p.high),
      method: 'rollup',
      // the fewest errors any part's range rests on (0 without parts)
      errorsUsed: points.length > 0 ? Math.min(...points.map((p) => p.errorsUsed)) : 0,
    });
  }
  if (kpi.cadence === cadence && kpi.rollup === 'formula' && kpi.formula) {
    return fromParts(node, projectFormula(node));
  }
  const memo = run.series;
  return memo
    ? memo.point(`${kpi.id}|${cadence}|${start}|${run.ranges}`, seriesInputs(node), () =>
        projectSeries(node, elapsed, soFar),
      )
    : projectSeries(node, elapsed, soFar);
}

/** A KPI's stored values of periods starting before `end`, in order, written out. */
function valuesBefore(values: ReadonlyMap<string, string>, end: string): string {
  const own: string[] = [];
  for (const [s, v] of values) if (s < end) own.push(`${s}=${v}`);
  return own.sort().join(',');
}

/**
 * Everything projectSeries reads for `node` besides its node and whether ranges are computed
 * (both in its SeriesMemo key), written out: the day, the KPI's cadence and time aggregation, its stored values up
 * to the end of the period (its history and value so far, at its own cadence or reduced to a
 * longer one), its check-ins (a flow's shape), and for each of its leads, the lead's cadence,
 * aggregation and values before the period (a lead reads complete periods only). A superset of
 * what it reads (a lead of a period ahead is not weighed), so equal inputs give equal points.
 */
function seriesInputs(node: Node): string {
  const { run, kpi, cadence, start } = node;
  const parts = [
    run.today,
    kpi.cadence,
    kpi.timeAggregation,
    valuesBefore(kpi.values, periodEndExclusive(start, cadence)),
    kpi.checkins
      ? `checkins:${kpi.checkins
          .map((r) => `${r.observedOn}=${r.value}`)
          .sort()
          .join(',')}`
      : 'no checkins',
  ];
  for (const id of kpi.leads ?? []) {
    const lead = run.cat.byId.get(id);
    parts.push(
      lead
        ? `lead:${id}:${lead.cadence}:${lead.timeAggregation}:${valuesBefore(lead.values, start)}`
        : `lead:${id}:none`,
    );
  }
  return parts.join('|');
}

/** A point at the stored value scale, so a parent combines exactly what its children show. */
function rounded(p: Point): Point {
  const r = (v: DecValue | null) => (v === null ? null : toDec(roundValue(v)));
  return { ...p, value: r(p.value), low: r(p.low), high: r(p.high) };
}

function projectFormula(node: Node): Point {
  const { run, kpi, start, path } = node;
  const formula = kpi.formula;
  if (!formula) return NONE;
  const inputs = new Map<string, Point>();
  const inputPoint = (key: string): Point => {
    const cached = inputs.get(key);
    if (cached) return cached;
    const input = run.cat.byKey.get(key);
    const p = !input || path.has(input.id) ? NONE : projectNode(partOf(node, input, kpi.cadence));
    inputs.set(key, p);
    return p;
  };
  let firstOwn: string | null = null;
  for (const s of kpi.values.keys()) if (firstOwn === null || s < firstOwn) firstOwn = s;
  const evaluate = (pick: (p: Point) => DecValue | null): DecValue | null => {
    const outcome = evaluateFormula(
      formula.node,
      (key, back) => {
        if (back === 0) {
          const v = pick(inputPoint(key));
          return v === null ? null : v.toFixed();
        }
        const input = key === kpi.key ? kpi : run.cat.byKey.get(key);
        if (!input) return null;
        const earlier = shiftPeriod(start, kpi.cadence, back);
        if (elapsedFraction(earlier, kpi.cadence, run.today) < 1) {
          // a period not complete yet (this one lies ahead of the open one): its projection
          const p = pick(
            projectNode({
              run,
              kpi: input,
              cadence: kpi.cadence,
              start: earlier,
              path: new Set([input.id]),
            }),
          );
          return p === null ? null : p.toFixed();
        }
        const fact = reducedValue(input, kpi.cadence, start, back);
        if (fact !== null || input.id !== kpi.id) return fact;
        return firstOwn === null || earlier < firstOwn ? kpi.baseline : null;
      },
      formula.missingPolicy,
    );
    return outcome.value === null ? null : new Dec(plainDec40(outcome.value));
  };
  const value = evaluate((p) => p.value);
  const a = evaluate((p) => p.low);
  const b = evaluate((p) => p.high);
  const ends = [a, b, value].filter((x): x is DecValue => x !== null);
  const errors = [...inputs.values()].map((p) => p.errorsUsed).filter((n) => n > 0);
  return {
    value,
    low: ends.length ? Dec.min(...ends) : null,
    high: ends.length ? Dec.max(...ends) : null,
    method: 'formula',
    errorsUsed: errors.length ? Math.min(...errors) : 0,
  };
}

/**
 * A series KPI (or one read at a longer cadence than its own): see the header. A period after
 * the open one (`ahead` of it) reads the history before the open one, kept with its fitted
 * forecast in `run.ahead` for the other periods ahead.
 */
function projectSeries(node: Node, elapsed: number, soFar: string | null): Point {
  const { run, kpi, cadence, start } = node;
  const ahead = periodsAhead(start, cadence, run.today);
  const fitted = ahead > 0 ? run.ahead : undefined;
  // Its leads, at its own cadence only (a lead of a cadence no longer than it, in the catalogue),
  // for the open period only (a period ahead of it is the trend's forecast that far ahead).
  const leads =
    kpi.cadence === cadence && ahead === 0
      ? (kpi.leads ?? []).flatMap((id) => {
          const lead = run.cat.byId.get(id);
          return lead && lead.id !== kpi.id && isCadenceNoLongerThan(lead.cadence, cadence)
            ? [lead]
            : [];
        })
      : [];
  // Oldest first. Without ranges the trend reads only its window (the older periods only when
  // the window holds too few values for a line); positions stay, so the forecast is the same. A
  // flow with dated readings reads it all: its credibility weight reads the trend's past errors;
  // so does a KPI with leads: their verdicts read the whole history.
  const length = PROJECTION_HISTORY[cadence];
  const history: (string | null)[] = new Array<string | null>(length).fill(null);
  const starts = Array.from({ length }, (_, i) => shiftPeriod(start, cadence, length - i + ahead));
  const read = (from: number, to: number) => {
    for (let back = from; back <= to; back += 1) {
      history[length - back] = reducedValue(kpi, cadence, start, back + ahead);
    }
  };
  // (a period after the open one has nothing so far: no shape to read, so no past errors for it)
  const shaped = ahead === 0 && kpi.timeAggregation === 'sum' && (kpi.checkins?.length ?? 0) > 0;
  const needErrors = run.ranges || shaped;
  const windowOnly =
    !needErrors && leads.length === 0 && PROJECTION_METHOD === 'trend' && TREND_WINDOW < length;
  const method = PROJECTION_METHOD;
  const perYear = periodsPerYear(cadence);
  const fitKey = `${kpi.id}|${cadence}|${needErrors}`;
  let fit = fitted?.get(fitKey);
  if (!fit) {
    read(1, windowOnly ? TREND_WINDOW : length);
    if (windowOnly && history.filter((v) => v !== null).length < 3) read(TREND_WINDOW + 1, length);
    const values = toSeries(history);
    fit = { series: values, at: forecasterWith(method, values, perYear) };
    fitted?.set(fitKey, fit);
  }
  const series = fit.series;
  const now = soFar === null ? null : toDec(soFar);
  const known = new Dec(elapsed);

  const trend = fit.at(ahead + 1);
  // a trend may run below 0 where the history never did (a count of deals): not below 0 then
  const floored = (f: DecValue | null) =>
    f !== null && f.isNegative() && series.every((v) => v === null || !v.isNegative())
      ? new Dec(0)
      : f;
  const errors = trend === null || !needErrors ? [] : pastErrors(method, series, perYear);
  const q = run.ranges ? quantile(errors, RANGE_QUANTILE) : null;
  const spread = (centre: DecValue, scale: DecValue, rest: number) =>
    q === null
      ? { low: centre, high: centre }
      : spreadAround(centre, scale.abs().times(q).times(new Dec(rest)));

  /** The point from a forecast of the whole period (the trend's, or the lead-informed one). */
  const pointFrom = (base: DecValue | null): Point => {
    if (kpi.timeAggregation === 'sum') {
      if (base === null) {
        if (now === null || elapsed <= 0) return NONE;
        const v = now.div(known);
        return { value: v, low: v, high: v, method: 'run_rate', errorsUsed: 0 };
      }
      // the last SHAPE_WINDOW periods only: the check-ins read are bounded to them
      // (lib/domain/forecast/readings-window.ts)
      const samples = arrivalSamples(
        kpi.checkins ?? [],
        starts
          .map((s, i) => ({ start: s, total: kpi.checkins ? (series[i] ?? null) : null }))
          .slice(-SHAPE_WINDOW),
        cadence,
        elapsed,
      );
      const arrived = arrivedShare(samples, elapsed);
      const weight = credibility(samples, arrived, errors);
      const value = intraPeriodForecast(now ?? new Dec(0), base, arrived, weight);
      return {
        value,
        ...spread(value, base, 1 - arrived),
        method: 'run_rate_and_trend',
        errorsUsed: errors.length,
      };
    }
    if (base === null) {
      if (now === null) return NONE;
      return { value: now, low: now, high: now, method: 'trend', errorsUsed: 0 };
    }
    const value = now === null ? base : now.times(known).plus(base.times(new Dec(1 - elapsed)));
    return {
      value,
      ...spread(value, base, 1 - elapsed),
      method: 'trend',
      errorsUsed: errors.length,
    };
  };

  const plain = rounded(pointFrom(floored(trend)));
  if (leads.length === 0) return plain;
  const { checks, used } = leadChecks(
    series,
    leads.map((lead) => ({
      leadId: lead.id,
      values: toSeries(starts.map((_, i) => reducedValue(lead, cadence, start, length - i))),
    })),
  );
  if (trend === null || used === null || used.gate.kind !== 'earned') {
    return { ...plain, lead: { fromParts: false, checks, used: null } };
  }
  const informed = rounded(pointFrom(floored(trend.plus(toDec(used.gate.adjustment)))));
  const shift = (informed.value as DecValue).minus(plain.value as DecValue);
  return {
    ...informed,
    lead: {
      fromParts: false,
      checks,
      used: { leadId: used.leadId, lag: used.gate.lead.lag, shift: shift.toFixed() },
    },
  };
}

function spreadAround(centre: DecValue, half: DecValue): { low: DecValue; high: DecValue } {
  return { low: centre.minus(half), high: centre.plus(half) };
}
