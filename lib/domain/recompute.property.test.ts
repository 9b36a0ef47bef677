import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  computeAllPeriodValues,
  samePeriodValue,
  type CascadeCheckin,
  type CascadeKpi,
  type PeriodValue,
} from '@/lib/domain/cascade-compute';
import {
  nextPeriodStart,
  periodEndExclusive,
  periodStart,
  type Cadence,
} from '@/lib/domain/periods';
import { fyStartMonthArb } from '@/lib/domain/test-arbitraries';
import { allPeriodSources, planRecompute, walkRecompute } from './recompute';
import {
  applyEdit,
  checkinsArb,
  checkinsOver,
  cloneStored,
  dayArb,
  editArb,
  forestArb,
  forestOf,
  indexArb,
  makeCheckins,
  writeArb,
  type Stored,
} from './test-cascade-arbitraries';

/*
 * Properties of the recompute planner and walk on random forests, against independent oracles:
 * the naive closure of the writes (each written KPI and every ancestor) and a from-scratch
 * computeAllPeriodValues.
 */

/** The written KPIs and their ancestors, walked by parent id from the KPI list. */
function ancestorsAndSelf(kpis: readonly CascadeKpi[], id: string): CascadeKpi[] {
  const byId = new Map(kpis.map((k) => [k.id, k]));
  const out: CascadeKpi[] = [];
  for (let k = byId.get(id); k; k = k.parentId === null ? undefined : byId.get(k.parentId)) {
    out.push(k);
  }
  return out;
}

/** Naive closure: every (KPI, period) pair a write reaches, the KPI and each ancestor. */
function naiveClosure(
  kpis: readonly CascadeKpi[],
  writes: readonly { kpiId: string; date: string }[],
  fy: number,
): Map<string, Set<string>> {
  const closure = new Map<string, Set<string>>();
  for (const w of writes) {
    for (const k of ancestorsAndSelf(kpis, w.kpiId)) {
      const set = closure.get(k.id) ?? new Set<string>();
      set.add(periodStart(w.date, k.cadence, fy));
      closure.set(k.id, set);
    }
  }
  return closure;
}

/** What the DAL's chain loader gives: the sources, their ancestors, computing KPIs' children. */
function loadedChain(kpis: readonly CascadeKpi[], sourceIds: Iterable<string>) {
  const ids = new Set<string>();
  for (const id of sourceIds) for (const k of ancestorsAndSelf(kpis, id)) ids.add(k.id);
  const chain = kpis.filter((k) => ids.has(k.id));
  const computing = new Set(chain.filter((k) => k.rollup !== 'manual').map((k) => k.id));
  const children = kpis.filter((k) => k.parentId !== null && computing.has(k.parentId));
  return { chain, children };
}

function sourcesOf(writes: readonly { kpiId: string; date: string }[]): Map<string, string[]> {
  const sources = new Map<string, string[]>();
  for (const w of writes) sources.set(w.kpiId, [...(sources.get(w.kpiId) ?? []), w.date]);
  return sources;
}

/** The periods of a cadence starting in `[from, to)`. */
function periodsIn(cadence: Cadence, from: string, to: string): string[] {
  const out: string[] = [];
  for (let s = from; s < to; s = nextPeriodStart(s, cadence)) out.push(s);
  return out;
}

/**
 * Runs a recompute as the DAL does: loads the chain, plans, loads only the planned ranges of
 * check-ins and stored values, walks, and applies the upserts and deletes to a copy of `stored`.
 * Also checks that the walk stays inside the naive closure of the sources.
 */
function recompute(
  kpis: readonly CascadeKpi[],
  stored: Stored,
  checkins: readonly CascadeCheckin[],
  sources: Map<string, string[]>,
  fy: number,
): Stored {
  const result = cloneStored(stored);
  const { chain, children } = loadedChain(kpis, sources.keys());
  const plan = planRecompute(chain, children, fy, sources);
  if (!plan) {
    expect([...sources.values()].flat()).toEqual([]);
    return result;
  }
  const loadedCheckins = checkins.filter((c) =>
    plan.checkinRanges.some(
      (r) => r.kpiId === c.kpiId && c.observedOn >= r.from && c.observedOn < r.to,
    ),
  );
  const loadedStored: Stored = new Map();
  for (const r of plan.storedRanges) {
    for (const id of r.kpiIds) {
      for (const [start, v] of stored.get(id) ?? []) {
        if (start < r.from || start >= r.to) continue;
        const m = loadedStored.get(id) ?? new Map<string, PeriodValue>();
        m.set(start, v);
        loadedStored.set(id, m);
      }
    }
  }
  const { upserts, deletes } = walkRecompute(plan, loadedCheckins, loadedStored);
  for (const { kpiId, periodStart: start, ...v } of upserts) {
    const m = result.get(kpiId) ?? new Map<string, PeriodValue>();
    m.set(start, v);
    result.set(kpiId, m);
  }
  for (const d of deletes) result.get(d.kpiId)?.delete(d.periodStart);
  const writes = [...sources].flatMap(([kpiId, dates]) => dates.map((date) => ({ kpiId, date })));
  const closure = naiveClosure(kpis, writes, fy);
  for (const [id, starts] of plan.pending) {
    for (const s of starts) expect(closure.get(id)?.has(s)).toBe(true);
  }
  return result;
}

function expectSameValues(actual: Stored, expected: Stored): void {
  const keys = (m: Stored) =>
    [...m].flatMap(([id, periods]) => [...periods.keys()].map((s) => `${id}|${s}`)).sort();
  expect(keys(actual)).toEqual(keys(expected));
  for (const [id, periods] of expected) {
    for (const [start, v] of periods) {
      expect(samePeriodValue(actual.get(id)?.get(start) ?? null, v)).toBe(true);
    }
  }
}

describe('planRecompute properties', () => {
  const caseArb = fc.record({
    kpis: forestArb,
    writes: fc.array(writeArb, { minLength: 1, maxLength: 8 }),
    fy: fyStartMonthArb,
    wholeForest: fc.boolean(),
  });
  it('reaches exactly the naive closure of the writes (KPIs, and the hull of their periods)', () => {
    fc.assert(
      fc.property(caseArb, ({ kpis, writes, fy, wholeForest }) => {
        const all = writes.map((w) => ({
          kpiId: w.foreign ? `other${w.node % 3}` : `k${w.node % kpis.length}`,
          date: w.date,
        }));
        const inOrg = all.filter((w) => !w.kpiId.startsWith('other'));
        const sources = sourcesOf(all);
        const loaded = wholeForest
          ? {
              chain: kpis,
              children: kpis.filter(
                (k) =>
                  k.parentId !== null && kpis.find((p) => p.id === k.parentId)?.rollup !== 'manual',
              ),
            }
          : loadedChain(kpis, sources.keys());
        const plan = planRecompute(loaded.chain, loaded.children, fy, sources);
        if (inOrg.length === 0) return plan === null;
        if (!plan) return false;

        const closure = naiveClosure(kpis, inOrg, fy);
        const byId = new Map(kpis.map((k) => [k.id, k]));
        // Stored ranges: one per closure KPI, its children beside it, spanning exactly the
        // closure's periods on it.
        expect(plan.storedRanges.map((r) => r.kpiIds[0]).sort()).toEqual(
          [...closure.keys()].sort(),
        );
        for (const range of plan.storedRanges) {
          const [id, ...kids] = range.kpiIds;
          const k = byId.get(id ?? '')!;
          const starts = [...(closure.get(k.id) ?? [])].sort();
          expect(range.from).toBe(starts[0]);
          expect(range.to).toBe(periodEndExclusive(starts.at(-1)!, k.cadence));
          const planned = new Set(periodsIn(k.cadence, range.from, range.to));
          for (const s of starts) expect(planned.has(s)).toBe(true);
          expect(kids.sort()).toEqual(
            loaded.children
              .filter((c) => c.parentId === k.id)
              .map((c) => c.id)
              .sort(),
          );
        }
        // Check-ins: of the manual sources only, over their own closure periods.
        expect(plan.checkinRanges.map((r) => r.kpiId).sort()).toEqual(
          [...new Set(inOrg.map((w) => w.kpiId))]
            .filter((id) => byId.get(id)?.rollup === 'manual')
            .sort(),
        );
        for (const range of plan.checkinRanges) {
          const match = plan.storedRanges.find((r) => r.kpiIds[0] === range.kpiId);
          expect({ from: range.from, to: range.to }).toEqual({ from: match?.from, to: match?.to });
        }
        // Pending: the sources' own periods and nothing else, before the walk.
        const direct = new Map<string, Set<string>>();
        for (const w of inOrg) {
          const set = direct.get(w.kpiId) ?? new Set<string>();
          set.add(periodStart(w.date, byId.get(w.kpiId)!.cadence, fy));
          direct.set(w.kpiId, set);
        }
        expect(new Map([...plan.pending].sort())).toEqual(new Map([...direct].sort()));
        return true;
      }),
      { numRuns: 300 },
    );
  });

  it('plans exactly the naive closure as a set of (KPI, period) pairs when writes share a date', () => {
    fc.assert(
      fc.property(
        forestArb,
        fc.array(indexArb, { minLength: 1, maxLength: 5 }),
        dayArb,
        fyStartMonthArb,
        (kpis, nodes, date, fy) => {
          const writes = nodes.map((n) => ({ kpiId: `k${n % kpis.length}`, date }));
          const sources = sourcesOf(writes);
          const { chain, children } = loadedChain(kpis, sources.keys());
          const plan = planRecompute(chain, children, fy, sources);
          const byId = new Map(kpis.map((k) => [k.id, k]));
          const planned = new Set(
            (plan?.storedRanges ?? []).flatMap((r) => {
              const k = byId.get(r.kpiIds[0] ?? '')!;
              return periodsIn(k.cadence, r.from, r.to).map((s) => `${k.id}|${s}`);
            }),
          );
          const naive = new Set(
            [...naiveClosure(kpis, writes, fy)].flatMap(([id, starts]) =>
              [...starts].map((s) => `${id}|${s}`),
            ),
          );
          expect([...planned].sort()).toEqual([...naive].sort());
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('walkRecompute properties', () => {
  it('leaves the same stored values as recomputing every KPI from scratch after check-ins', () => {
    fc.assert(
      fc.property(
        forestArb,
        checkinsArb,
        checkinsArb,
        fc.array(indexArb, { maxLength: 6 }),
        fc.array(writeArb, { maxLength: 3 }),
        fyStartMonthArb,
        (kpis, initial, added, removed, extraSources, fy) => {
          const make = makeCheckins(kpis);
          const before = make(initial);
          const gone = new Set(
            before.length === 0 ? [] : removed.map((n) => before[n % before.length]!.id),
          );
          const after = [...before.filter((c) => !gone.has(c.id)), ...make(added)];
          const changed = [
            ...before.filter((c) => gone.has(c.id)),
            ...after.filter((c) => !before.includes(c)),
          ];
          const sources = sourcesOf([
            ...changed.map((c) => ({ kpiId: c.kpiId, date: c.observedOn })),
            ...extraSources.map((w) => ({ kpiId: `k${w.node % kpis.length}`, date: w.date })),
          ]);
          const stored = computeAllPeriodValues(kpis, before, fy);
          const result = recompute(kpis, stored, after, sources, fy);
          expectSameValues(result, computeAllPeriodValues(kpis, after, fy));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('leaves the same stored values as recomputing from scratch after edits of KPIs', () => {
    fc.assert(
      // small trees and a few months of check-ins, so siblings often report in one period
      fc.property(
        forestOf(6),
        checkinsOver(60),
        fc.array(editArb, { minLength: 1, maxLength: 4 }),
        fyStartMonthArb,
        (kpis, initial, edits, fy) => {
          const checkins = makeCheckins(kpis)(initial);
          let current = kpis;
          let stored = computeAllPeriodValues(current, checkins, fy);
          for (const edit of edits) {
            const { after, targets, reset } = applyEdit(current, edit);
            const sources = allPeriodSources(
              after.filter((k) => targets.includes(k.id)),
              after.filter((k) => k.parentId !== null && targets.includes(k.parentId)),
              stored,
              stored,
              checkins
                .filter((c) => targets.includes(c.kpiId))
                .map((c) => ({ kpiId: c.kpiId, observedOn: c.observedOn })),
              fy,
            );
            const kept = cloneStored(stored);
            if (reset) for (const id of targets) kept.delete(id);
            stored = recompute(after, kept, checkins, sources, fy);
            current = after;
            expectSameValues(stored, computeAllPeriodValues(current, checkins, fy));
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
