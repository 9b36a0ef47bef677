import { byKey, kpiLabel, type CatalogueKpi } from './catalogue';
import { formulaReferences } from './references';

/*
 * The dependency graph of an organization's KPIs: an edge from a KPI to each KPI its value is
 * read from in the same period. Parent links give parent -> child (every link counts, even under
 * a manual parent, as DESIGN asks for an acyclic graph of links and references); formulas give
 * formula -> input for each plain key. `prev(k, n)` reads a strictly earlier period (n >= 1 of
 * the formula's cadence, and an input's cadence is never longer), so it is not an edge: a stock
 * such as ARR = prev(ARR) + new - churn is no cycle.
 */

/** KPI id -> the ids it reads in the same period (each once, in first-seen order). */
export type DependencyGraph = ReadonlyMap<string, readonly string[]>;

/** Builds the dependency graph; references to unknown keys are left out (reported elsewhere). */
export function dependencyGraph(kpis: readonly CatalogueKpi[]): DependencyGraph {
  const keyed = byKey(kpis);
  const graph = new Map<string, string[]>(kpis.map((k) => [k.id, []]));
  const add = (from: string, to: string): void => {
    const list = graph.get(from);
    if (list && !list.includes(to)) list.push(to);
  };
  for (const kpi of kpis) {
    if (kpi.parentId !== null) add(kpi.parentId, kpi.id);
    if (kpi.rollup !== 'formula' || kpi.formula === null) continue;
    for (const ref of formulaReferences(kpi.formula)) {
      const input = keyed.get(ref.key);
      if (ref.periodsBack === 0 && input) add(kpi.id, input.id);
    }
  }
  return graph;
}

/**
 * A cycle through `startId` as a list of ids from it back to it (`[a, b, a]`), or null. Depth
 * first over the graph, iterative (no recursion limit on long chains).
 */
export function findCycleThrough(graph: DependencyGraph, startId: string): string[] | null {
  const parent = new Map<string, string>();
  const stack: string[] = [startId];
  const seen = new Set<string>([startId]);
  while (stack.length > 0) {
    const node = stack.pop() as string;
    for (const next of graph.get(node) ?? []) {
      if (next === startId) {
        const path = [startId];
        for (
          let at: string | undefined = node;
          at !== undefined && at !== startId;
          at = parent.get(at)
        ) {
          path.splice(1, 0, at);
        }
        path.push(startId);
        return path;
      }
      if (seen.has(next)) continue;
      seen.add(next);
      parent.set(next, node);
      stack.push(next);
    }
  }
  return null;
}

/** Any cycle in the graph (ids, first repeated at the end), or null when it is acyclic. */
export function findAnyCycle(graph: DependencyGraph): string[] | null {
  const state = new Map<string, 'open' | 'done'>();
  for (const root of graph.keys()) {
    if (state.has(root)) continue;
    const path: string[] = [];
    const iters: Iterator<string>[] = [];
    const push = (id: string): void => {
      state.set(id, 'open');
      path.push(id);
      iters.push((graph.get(id) ?? [])[Symbol.iterator]());
    };
    push(root);
    while (iters.length > 0) {
      const step = (iters[iters.length - 1] as Iterator<string>).next();
      if (step.done) {
        state.set(path.pop() as string, 'done');
        iters.pop();
        continue;
      }
      const s = state.get(step.value);
      if (s === 'open') return [...path.slice(path.indexOf(step.value)), step.value];
      if (s === undefined) push(step.value);
    }
  }
  return null;
}

/** A cycle of ids named for people: `company.arr -> x -> company.arr`. */
export function describeCycle(cycle: readonly string[], kpis: readonly CatalogueKpi[]): string {
  const byId = new Map(kpis.map((k) => [k.id, k]));
  return cycle
    .map((id) => {
      const k = byId.get(id);
      return k ? kpiLabel(k) : id;
    })
    .join(' -> ');
}
