import fc from 'fast-check';
import type { TimeAggregation } from '@/lib/domain/aggregation';
import type { CascadeCheckin, CascadeKpi, PeriodValue } from '@/lib/domain/cascade-compute';
import { addDays } from '@/lib/domain/dates';
import type { Cadence } from '@/lib/domain/periods';
import type { RollupMethod } from '@/lib/domain/rollup';

/** Test-only builders and fast-check arbitraries for the recompute tests (never import in app code). */

/** A monthly manual KPI summing its check-ins, with `over` applied. */
export function testKpi(id: string, over: Partial<CascadeKpi> = {}): CascadeKpi {
  return {
    id,
    parentId: null,
    cadence: 'month',
    timeAggregation: 'sum',
    rollup: 'manual',
    weight: '1',
    archivedOn: null,
    ...over,
  };
}

/** A check-in whose recording instant follows its id (`c000001` is the first). */
export function testCheckin(
  id: string,
  kpiId: string,
  observedOn: string,
  value: string,
): CascadeCheckin {
  return { id, kpiId, observedOn, value, createdAt: `2020-01-01T00:00:00.${id.slice(1)}Z` };
}

let sequence = 0;

/**
 * A check-in with the next id of a sequence shared by the test file (`c000001`, ...), recorded in
 * call order: for tests that write check-ins by hand and never need to name them.
 */
export function nextTestCheckin(kpiId: string, observedOn: string, value: string): CascadeCheckin {
  sequence += 1;
  return testCheckin(`c${String(sequence).padStart(6, '0')}`, kpiId, observedOn, value);
}

/** Stored period values: KPI -> period start -> value. */
export type Stored = Map<string, Map<string, PeriodValue>>;

/** A copy that a walk may change without touching the original. */
export function cloneStored(stored: Stored): Stored {
  return new Map([...stored].map(([id, periods]) => [id, new Map(periods)]));
}

// Random forests: node i's parent is an earlier node (or none), and a child's cadence is never
// longer than its parent's, as the link rules require.
const CADENCES: Cadence[] = ['month', 'quarter', 'year'];
const ROLLUPS: RollupMethod[] = ['manual', 'sum', 'average', 'weighted_average', 'min', 'max'];
const AGGS: TimeAggregation[] = ['sum', 'last', 'average'];
const BASE_DATE = '2024-01-01';
const daysArb = (span: number) => fc.nat({ max: span }).map((n) => addDays(BASE_DATE, n));
export const dayArb = daysArb(800);

/** An index taken modulo a length: wide, so small indices are not favoured. */
export const indexArb = fc.nat({ max: 9999 });

const nodeArb = fc.record({
  parent: fc.option(indexArb, { nil: null }),
  cadence: fc.nat({ max: 2 }),
  // manual half the time: only manual KPIs take check-ins
  rollup: fc.oneof(fc.constant<RollupMethod>('manual'), fc.constantFrom(...ROLLUPS)),
  timeAggregation: fc.constantFrom(...AGGS),
  weight: fc.integer({ min: 1, max: 400 }).map((n) => String(n / 100)),
  archivedOn: fc.oneof(
    { arbitrary: fc.constant(null), weight: 4 },
    { arbitrary: dayArb, weight: 1 },
  ),
});

export const forestOf = (maxLength: number) =>
  fc.array(nodeArb, { minLength: 1, maxLength }).map((nodes) => {
    const list: CascadeKpi[] = [];
    nodes.forEach((node, i) => {
      const parent = node.parent === null || i === 0 ? undefined : list[node.parent % i];
      const max = parent ? CADENCES.indexOf(parent.cadence) : 2;
      list.push(
        testKpi(`k${i}`, {
          parentId: parent?.id ?? null,
          cadence: CADENCES[Math.min(node.cadence, max)] ?? 'month',
          rollup: node.rollup,
          timeAggregation: node.timeAggregation,
          weight: node.weight,
          archivedOn: node.archivedOn,
        }),
      );
    });
    return list;
  });
export const forestArb = forestOf(14);

/** A write on node `node % n` (or on a KPI of another org) dated `date`. */
export const writeArb = fc.record({ node: indexArb, date: dayArb, foreign: fc.boolean() });

const valueArb = fc.integer({ min: -5000, max: 5000 }).map((n) => String(n / 100));
export const checkinsOver = (span: number) =>
  fc.array(fc.record({ node: indexArb, date: daysArb(span), value: valueArb }), {
    minLength: span < 365 ? 8 : 0,
    maxLength: 30,
  });
export const checkinsArb = checkinsOver(800);

/** Builds check-ins on `k<node mod n>` with ids (and recording instants) in call order. */
export function makeCheckins(kpis: readonly CascadeKpi[]) {
  let seq = 0;
  return (list: readonly { node: number; date: string; value: string }[]): CascadeCheckin[] =>
    list.map((c) => {
      seq += 1;
      return testCheckin(
        `c${String(seq).padStart(6, '0')}`,
        `k${c.node % kpis.length}`,
        c.date,
        c.value,
      );
    });
}

/** An edit of one KPI, as the KPI actions make them (link rules kept). */
export const editArb = fc.record({
  node: indexArb,
  kind: fc.constantFrom(
    'weight',
    'weight',
    'aggregation',
    'rollup',
    'cadence',
    'unlink',
    'archive',
  ),
  weight: fc.integer({ min: 1, max: 400 }).map((n) => String(n / 100)),
  timeAggregation: fc.constantFrom(...AGGS),
  rollup: fc.constantFrom(...ROLLUPS),
  cadence: fc.nat({ max: 2 }),
  date: dayArb,
});

type Edit = typeof editArb extends fc.Arbitrary<infer E> ? E : never;

/**
 * The KPIs after an edit, the KPIs to recompute in all their periods (as the KPI actions pass
 * them to recomputeAllPeriods) and whether their stored rows are reset first (a cadence change).
 */
export function applyEdit(
  kpis: readonly CascadeKpi[],
  edit: Edit,
): { after: CascadeKpi[]; targets: string[]; reset: boolean } {
  const target = kpis[edit.node % kpis.length]!;
  const change = (over: Partial<CascadeKpi>) =>
    kpis.map((k) => (k.id === target.id ? { ...k, ...over } : k));
  switch (edit.kind) {
    case 'weight':
      return { after: change({ weight: edit.weight }), targets: [target.id], reset: false };
    case 'aggregation':
      return {
        after: change({ timeAggregation: edit.timeAggregation }),
        targets: [target.id],
        reset: false,
      };
    case 'rollup':
      return { after: change({ rollup: edit.rollup }), targets: [target.id], reset: false };
    case 'cadence': {
      // no shorter than any child's, no longer than the parent's
      const parent = kpis.find((k) => k.id === target.parentId);
      const max = parent ? CADENCES.indexOf(parent.cadence) : 2;
      const min = Math.max(
        0,
        ...kpis.filter((k) => k.parentId === target.id).map((k) => CADENCES.indexOf(k.cadence)),
      );
      const cadence = CADENCES[Math.min(max, Math.max(min, edit.cadence))] ?? target.cadence;
      return { after: change({ cadence }), targets: [target.id], reset: true };
    }
    case 'unlink':
      return {
        after: change({ parentId: null }),
        targets: target.parentId ? [target.parentId] : [],
        reset: false,
      };
    case 'archive':
      return {
        after: change({ archivedOn: edit.date }),
        targets: target.parentId ? [target.parentId] : [],
        reset: false,
      };
  }
}
