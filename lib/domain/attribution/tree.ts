import { isChildIncluded, type CascadeKpi } from '@/lib/domain/cascade-compute';
import { Dec, toDec, toPlainString, type DecValue } from '@/lib/domain/decimal';
import type { FormulaNode } from '@/lib/domain/formula/ast';
import { VALUE_SCALE } from '@/lib/domain/formula/cascade';
import type { MissingPolicy } from '@/lib/domain/formula/catalogue';
import { readLabel } from '@/lib/domain/formula/evaluate';
import { impliedTargets, type TargetSource } from '@/lib/domain/formula/implied-target';
import { inputValueFor, shiftPeriod } from '@/lib/domain/formula/period-inputs';
import { distinctReads } from '@/lib/domain/formula/references';
import type { Cadence } from '@/lib/domain/periods';
import { isArithmeticRollup, type RollupMethod } from '@/lib/domain/rollup';
import {
  ATTRIBUTION_SCALE,
  allocateExactly,
  formulaParts,
  rollupParts,
  scaleParts,
  type FormulaRead,
  type FormulaSplitMethod,
} from './split';

/*
 * Variance attribution down the cascade (issue 24, item 2), pure: for one KPI and one of its
 * periods, the gap (actual - target) split into its children's or drivers' contributions (see
 * split.ts for the arithmetic), and each contribution of a computed child or driver of the same
 * cadence split again, recursively, in proportion to that child's own split, down to the people
 * who own the leaves. Every level adds up exactly to the level above.
 * Values are the stored period values (what every reader shows); a child or input of a shorter
 * cadence contributes the time aggregate of its values (and of its targets) inside the period,
 * as the rollup and the formula read them, and is not split further. Targets: a KPI's own target
 * for the period (override, else default), or for a formula KPI without one the target its
 * inputs' targets imply (lib/domain/formula/implied-target.ts).
 */

/** A KPI as attribution reads it. */
export type AttributionKpi = CascadeKpi & {
  key: string | null;
  name: string;
  ownerName: string | null;
  unitName: string;
  formula: { node: FormulaNode; missingPolicy: MissingPolicy } | null;
  baseline: string | null;
  /** Stored period values: period start -> exact decimal (only periods with a value). */
  values: ReadonlyMap<string, string>;
  /** Its own target for one of its periods (override, else default), or null. */
  ownTarget: (start: string) => string | null;
};

/** What a line of an attribution stands for. */
export type AttributionLineKind = 'child' | 'driver' | 'target_difference';

/** One part of a gap: a child's or driver's contribution, with its own parts. */
export type AttributionLine = {
  kind: AttributionLineKind;
  /** The KPI (null for a target difference). */
  kpiId: string | null;
  key: string | null;
  name: string;
  ownerName: string | null;
  unitName: string | null;
  /** For a driver read through prev(): `prev(key)`; else null. */
  read: string | null;
  /** Its actual and target in the period (reduced to the parent's period). */
  actual: string | null;
  target: string | null;
  /** Exact decimal; the lines of one level add up to the gap above them. */
  contribution: string;
  /** No value in the period (a sum counts it as 0; an average leaves it out). */
  missing: boolean;
  /** No target in the period. */
  noTarget: boolean;
  /** Its own contribution split further (children of a computed child), else empty. */
  parts: AttributionLine[];
};

/** Why a KPI's period has no attribution. */
export type NoAttributionReason = 'no value' | 'no target' | 'not computed' | 'not attributable';

/** A KPI's gap in one period and its parts. */
export type Attribution = {
  kpiId: string;
  periodStart: string;
  rollup: RollupMethod;
  actual: string | null;
  target: string | null;
  targetImplied: boolean;
  /** actual - target, or null without both. */
  gap: string | null;
  /** For a formula: exact Shapley values or one input at a time (see split.ts). */
  method: FormulaSplitMethod | 'rollup' | null;
  lines: AttributionLine[];
  reason: NoAttributionReason | null;
};

/** How deep below the KPI attribution splits (its direct lines are depth 1). */
export const MAX_ATTRIBUTION_DEPTH = 6;

/** A catalogue of KPIs: by id, by key, children by parent, and each one's target for a period. */
export type KpiCatalogue = {
  byId: ReadonlyMap<string, AttributionKpi>;
  byKey: ReadonlyMap<string, AttributionKpi>;
  children: ReadonlyMap<string, AttributionKpi[]>;
  target: (kpi: AttributionKpi, start: string) => { value: string | null; implied: boolean };
};

const sourceKey = (kpi: Pick<AttributionKpi, 'id' | 'key'>) => kpi.key ?? `#${kpi.id}`;

/** The catalogue of `kpis` (targets: own, else for a formula the implied one). */
export function kpiCatalogue(kpis: readonly AttributionKpi[]): KpiCatalogue {
  const byId = new Map(kpis.map((k) => [k.id, k]));
  const byKey = new Map<string, AttributionKpi>();
  const children = new Map<string, AttributionKpi[]>();
  const sources = new Map<string, TargetSource>();
  for (const k of kpis) {
    if (k.key !== null) byKey.set(k.key, k);
    if (k.parentId !== null) children.set(k.parentId, [...(children.get(k.parentId) ?? []), k]);
    sources.set(sourceKey(k), {
      key: sourceKey(k),
      cadence: k.cadence,
      timeAggregation: k.timeAggregation,
      ownTarget: k.ownTarget,
      values: k.values,
      formula:
        k.rollup === 'formula' && k.formula
          ? { node: k.formula.node, missingPolicy: k.formula.missingPolicy, baseline: k.baseline }
          : null,
    });
  }
  // Children in one order whatever order the KPIs came in (the API lists them): by name, then id.
  for (const list of children.values())
    list.sort((a, b) => a.name.localeCompare(b.name, 'en') || a.id.localeCompare(b.id));
  const implied = impliedTargets(sources, VALUE_SCALE);
  return {
    byId,
    byKey,
    children,
    target: (kpi, start) => {
      const own = kpi.ownTarget(start);
      if (own !== null || kpi.rollup !== 'formula') return { value: own, implied: false };
      const value = implied.implied(sourceKey(kpi), start);
      return { value, implied: value !== null };
    },
  };
}

/** A KPI's actual and target reduced to a period of `cadence` (`back` periods earlier). */
function reduced(
  ctx: KpiCatalogue,
  kpi: AttributionKpi,
  start: string,
  cadence: Cadence,
  back = 0,
): { actual: string | null; target: string | null } {
  return {
    actual: inputValueFor(kpi, (s) => kpi.values.get(s) ?? null, start, cadence, back),
    target: inputValueFor(kpi, (s) => ctx.target(kpi, s).value, start, cadence, back),
  };
}

/**
 * The attribution of KPI `kpiId`'s period starting `start` (a start of its cadence), over the
 * KPIs given (its subtree and the formula inputs below it; others are ignored). Throws a
 * RangeError for an unknown id.
 */
export function attributeKpi(
  kpis: readonly AttributionKpi[],
  kpiId: string,
  start: string,
): Attribution {
  const ctx = kpiCatalogue(kpis);
  const kpi = ctx.byId.get(kpiId);
  if (!kpi) throw new RangeError(`Unknown KPI ${kpiId}`);
  return attributeNode(ctx, kpi, start, 1, new Set([kpi.id]));
}

function attributeNode(
  ctx: KpiCatalogue,
  kpi: AttributionKpi,
  start: string,
  depth: number,
  path: ReadonlySet<string>,
): Attribution {
  const actual = kpi.values.get(start) ?? null;
  const target = ctx.target(kpi, start);
  const base = {
    kpiId: kpi.id,
    periodStart: start,
    rollup: kpi.rollup,
    actual,
    target: target.value,
    targetImplied: target.implied,
  };
  const none = (reason: NoAttributionReason, gap: string | null = null): Attribution => ({
    ...base,
    gap,
    method: null,
    lines: [],
    reason,
  });
  if (actual === null) return none('no value');
  if (target.value === null) return none('no target');
  const gapDec = toDec(actual).minus(toDec(target.value));
  const gap = toPlainString(gapDec);

  let raw: { lines: AttributionLine[]; parts: DecValue[]; subs: (Attribution | null)[] };
  let method: Attribution['method'];
  if (isArithmeticRollup(kpi.rollup)) {
    const rollup = kpi.rollup;
    const kids = (ctx.children.get(kpi.id) ?? []).filter((c) => isChildIncluded(c, start));
    const facts = kids.map((c) => reduced(ctx, c, start, kpi.cadence));
    const split = rollupParts(
      rollup,
      kids.map((c, i) => ({
        actual: facts[i]?.actual ?? null,
        target: facts[i]?.target ?? null,
        weight: c.weight,
      })),
      target.value,
    );
    raw = { lines: [], parts: [], subs: [] };
    kids.forEach((c, i) => {
      raw.lines.push(lineOf('child', c, facts[i] ?? { actual: null, target: null }, null));
      raw.parts.push(split.parts[i] as DecValue);
      raw.subs.push(subAttribution(ctx, c, kpi, start, depth, path));
    });
    addTargetDifference(raw, split.targetDifference, 'Target not split among its children');
    method = 'rollup';
  } else if (kpi.rollup === 'formula' && kpi.formula) {
    const reads = formulaReads(ctx, kpi, start);
    const split = formulaParts(kpi.formula.node, kpi.formula.missingPolicy, reads);
    if (split === null) return none('not attributable', gap);
    raw = { lines: [], parts: [], subs: [] };
    reads.forEach((r, i) => {
      const input = r.key === kpi.key ? kpi : ctx.byKey.get(r.key);
      const read = r.periodsBack === 0 ? null : readLabel(r.key, r.periodsBack);
      raw.lines.push(
        input
          ? lineOf('driver', input, r, read)
          : { ...emptyLine('driver', r.key), key: r.key, read, actual: r.actual, target: r.target },
      );
      raw.parts.push(split.parts[i] as DecValue);
      raw.subs.push(
        input && r.periodsBack === 0 && input.id !== kpi.id
          ? subAttribution(ctx, input, kpi, start, depth, path)
          : null,
      );
    });
    if (!target.implied) {
      addTargetDifference(
        raw,
        split.atTargets.minus(toDec(target.value)),
        "Target differs from what its inputs' targets imply",
      );
    }
    method = split.method;
  } else {
    return none('not computed', gap);
  }

  const rounded = allocateExactly(raw.parts, gapDec);
  const lines = raw.lines.map((line, i) => {
    const contribution = rounded[i] as DecValue;
    const sub = raw.subs[i];
    return {
      ...line,
      contribution: toPlainString(contribution),
      parts: sub && sub.gap !== null ? scaleLines(sub.lines, toDec(sub.gap), contribution) : [],
    };
  });
  return { ...base, gap, method, lines, reason: null };
}

/** The attribution of a child or driver, when it can be split further (same cadence, computed). */
function subAttribution(
  ctx: KpiCatalogue,
  child: AttributionKpi,
  parent: AttributionKpi,
  start: string,
  depth: number,
  path: ReadonlySet<string>,
): Attribution | null {
  if (depth >= MAX_ATTRIBUTION_DEPTH || path.has(child.id)) return null;
  if (child.cadence !== parent.cadence || child.rollup === 'manual') return null;
  const sub = attributeNode(ctx, child, start, depth + 1, new Set([...path, child.id]));
  return sub.reason === null ? sub : null;
}

/** A child's own lines scaled to what it contributes above (see scaleParts), recursively. */
function scaleLines(
  lines: readonly AttributionLine[],
  from: DecValue,
  to: DecValue,
): AttributionLine[] {
  const scaled = scaleParts(
    lines.map((l) => toDec(l.contribution)),
    from,
    to,
  );
  if (scaled === null) return [];
  return lines.map((l, i) => {
    const next = scaled[i] as DecValue;
    return {
      ...l,
      contribution: toPlainString(next),
      parts: scaleLines(l.parts, toDec(l.contribution), next),
    };
  });
}

/** A line of 0 with nothing known but its name. */
export function emptyLine(kind: AttributionLineKind, name: string): AttributionLine {
  return {
    kind,
    kpiId: null,
    key: null,
    name,
    ownerName: null,
    unitName: null,
    read: null,
    actual: null,
    target: null,
    contribution: '0',
    missing: false,
    noTarget: false,
    parts: [],
  };
}

function lineOf(
  kind: AttributionLineKind,
  kpi: AttributionKpi,
  facts: { actual: string | null; target: string | null },
  read: string | null,
): AttributionLine {
  return {
    ...emptyLine(kind, kpi.name),
    kpiId: kpi.id,
    key: kpi.key,
    ownerName: kpi.ownerName,
    unitName: kpi.unitName,
    read,
    actual: facts.actual,
    target: facts.target,
    missing: facts.actual === null,
    noTarget: facts.target === null,
  };
}

function addTargetDifference(
  raw: { lines: AttributionLine[]; parts: DecValue[]; subs: (Attribution | null)[] },
  difference: DecValue,
  name: string,
): void {
  // below the last place kept, a difference is rounding (the residue goes to the largest part)
  if (difference.toDecimalPlaces(ATTRIBUTION_SCALE, Dec.ROUND_HALF_UP).isZero()) return;
  raw.lines.push(emptyLine('target_difference', name));
  raw.parts.push(difference);
  raw.subs.push(null);
}

/**
 * The formula's distinct reads with their values at the actuals and at the targets. An input
 * read in the formula's own period moves from its target to its actual; a `prev()` read is a
 * fact of an earlier period on both sides (its actual when it has one, else its target; the
 * formula's own `prev` before its first value is its baseline), as the implied target reads it.
 */
function formulaReads(ctx: KpiCatalogue, kpi: AttributionKpi, start: string): FormulaRead[] {
  const node = kpi.formula?.node;
  if (!node) return [];
  let firstOwn: string | null = null;
  for (const s of kpi.values.keys()) if (firstOwn === null || s < firstOwn) firstOwn = s;
  return distinctReads(node).map(({ key, periodsBack }) => {
    const input = key === kpi.key ? kpi : ctx.byKey.get(key);
    if (!input) return { key, periodsBack, actual: null, target: null };
    const facts = reduced(ctx, input, start, kpi.cadence, periodsBack);
    if (periodsBack === 0) return { key, periodsBack, ...facts };
    let fact = facts.actual ?? facts.target;
    if (input.id === kpi.id && facts.actual === null) {
      const earlier = shiftPeriod(start, kpi.cadence, periodsBack);
      if (firstOwn === null || earlier < firstOwn) fact = kpi.baseline;
    }
    return { key, periodsBack, actual: fact, target: fact };
  });
}

/** Sum of the contributions of some lines, exact (for tests and checks). */
export function sumContributions(lines: readonly AttributionLine[]): DecValue {
  return lines.reduce((acc, l) => acc.plus(toDec(l.contribution)), new Dec(0));
}
