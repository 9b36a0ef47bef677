/*
 * Series projections kept across projection runs (issue 21): a KPI projected from its own
 * history (projection.ts: projectSeries) is the costly part of an organization's projections,
 * and one write changes the inputs of few of them. The memo keeps each series node's point
 * (`id|cadence|start|ranges` -> point) under a digest of everything it was computed from (its inputs,
 * written out by projection.ts: seriesInputs), so the next run recomputes only the nodes whose
 * inputs changed; rollups and formulas are never memoized (they are combined again, exactly,
 * every run). One memo holds one organization's nodes for one day: the caller keys it so
 * (lib/dal/kpis/projection-memo.ts) and bounds how many it keeps. Pure: the digest function is
 * given (a cryptographic hash on the server, so two inputs never share a digest).
 */

export class SeriesMemo<P> {
  private readonly nodes = new Map<string, { digest: string; point: P }>();

  /** Points served from the memo and points computed, since it was made (benchmarks, tests). */
  readonly counts = { reused: 0, computed: 0 };

  constructor(private readonly digestOf: (inputs: string) => string) {}

  /** The point of `node` computed from exactly `inputs`, computing and keeping it on a miss. */
  point(node: string, inputs: string, compute: () => P): P {
    const digest = this.digestOf(inputs);
    const known = this.nodes.get(node);
    if (known && known.digest === digest) {
      this.counts.reused += 1;
      return known.point;
    }
    this.counts.computed += 1;
    const point = compute();
    this.nodes.set(node, { digest, point });
    return point;
  }

  /** How many nodes it holds (one per node: a node's older inputs are replaced). */
  get size(): number {
    return this.nodes.size;
  }
}
