import type { Cadence } from '@/lib/domain/periods';
import type { RollupMethod } from '@/lib/domain/rollup';
import type { Rng } from './random';
import { FAMILIES } from './synthetic-data';

// The shape of the synthetic cascade: which unit kind each level lives in, how many KPIs each
// level gets, their cadences, and how generated values roll up.

/** What kind of unit the KPIs of each cascade level live in, top down. */
type LevelKind = 'company' | 'department' | 'team' | 'individual';

/** Company first, individuals last, department levels then team levels in between. */
export function levelKinds(depth: number): LevelKind[] {
  if (depth <= 1) return ['company'];
  const middle = depth - 2;
  const departmentLevels = Math.ceil(middle / 2);
  return [
    'company',
    ...Array<LevelKind>(departmentLevels).fill('department'),
    ...Array<LevelKind>(middle - departmentLevels).fill('team'),
    'individual',
  ];
}

/**
 * KPIs per level: growing about 3.5x per level and summing to `total`, with enough roots for
 * every KPI family (so small organizations still mix measure units and rollups) and no level
 * smaller than the one above (so every root has a chain down to the last level).
 */
export function levelCounts(total: number, depth: number): number[] {
  const ratio = 3.5;
  const weights = Array.from({ length: depth }, (_, i) => ratio ** i);
  const sum = weights.reduce((a, b) => a + b, 0);
  const roots = Math.max(1, Math.min(FAMILIES.length, Math.floor(total / (depth * 4))));
  const counts = weights.map((w) => Math.max(1, Math.round((total * w) / sum)));
  counts[0] = Math.max(counts[0] ?? 1, roots);
  for (let i = 1; i < depth - 1; i += 1) counts[i] = Math.max(counts[i] ?? 1, counts[i - 1] ?? 1);
  const head = counts.slice(0, -1).reduce((a, b) => a + b, 0);
  counts[counts.length - 1] = Math.max(1, total - head);
  return counts;
}

/** A cadence no longer than the parent's: a mix at the top, mostly monthly near the leaves. */
export function pickCadence(rng: Rng, parent: Cadence | null, leaf: boolean): Cadence {
  const r = rng.next();
  if (parent === null) return r < 0.4 ? 'month' : r < 0.8 ? 'quarter' : 'year';
  if (parent === 'month') return 'month';
  if (parent === 'quarter') return r < (leaf ? 0.7 : 0.4) ? 'month' : 'quarter';
  return r < (leaf ? 0.6 : 0.3) ? 'month' : r < (leaf ? 0.9 : 0.6) ? 'quarter' : 'year';
}

/** One parent value from its children's, by the parent's rollup (floats: generated data only). */
export function combine(
  method: Exclude<RollupMethod, 'manual' | 'formula'>,
  values: number[],
  weights: number[],
): number {
  if (values.length === 0) return 0;
  switch (method) {
    case 'sum':
      return values.reduce((a, b) => a + b, 0);
    case 'average':
      return values.reduce((a, b) => a + b, 0) / values.length;
    case 'weighted_average': {
      const total = weights.reduce((a, b) => a + b, 0);
      return values.reduce((a, v, i) => a + v * (weights[i] ?? 1), 0) / total;
    }
    case 'min':
      return Math.min(...values);
    case 'max':
      return Math.max(...values);
  }
}
