import type { LeadBacktestGroup } from '@/lib/domain/forecast/lead-backtest';
import { shiftPeriod } from '@/lib/domain/formula/period-inputs';
import { createRng } from './random';

/*
 * Monthly pairs where the lead truly leads (issue 24, item 3): a pipeline-like lead wandering
 * around a level, and a lagging KPI whose monthly change is a drift plus `beta` times the lead's
 * change `lag` months earlier plus noise. For the unit tests and the backtest's control group:
 * what the lead-informed forecast does where the relation exists, next to the real histories
 * where it was only ever assumed.
 */

/** `count` pairs of `months` monthly values from `first` (a month start), seeded. */
export function syntheticLeadGroups(options: {
  count: number;
  months: number;
  first: string;
  seed: number;
  lag?: number;
}): LeadBacktestGroup[] {
  const { count, months, first, seed, lag = 2 } = options;
  const rng = createRng(seed);
  const starts: string[] = [];
  for (let i = 0, s = first; i < months; i += 1, s = shiftPeriod(s, 'month', -1)) starts.push(s);
  const groups: LeadBacktestGroup[] = [];
  for (let g = 0; g < count; g += 1) {
    const lead: number[] = [];
    let x = 1000 + 500 * rng.next();
    for (let t = 0; t < months; t += 1) {
      x = Math.max(100, x + 80 * rng.gauss());
      lead.push(x);
    }
    const beta = 2 + 2 * rng.next();
    const drift = 20 * rng.next();
    const lagging: number[] = [];
    let y = 5000 + 2000 * rng.next();
    for (let t = 0; t < months; t += 1) {
      const push = t - lag >= 1 ? beta * ((lead[t - lag] ?? 0) - (lead[t - lag - 1] ?? 0)) : 0;
      y = Math.max(100, y + drift + push + 60 * rng.gauss());
      lagging.push(y);
    }
    groups.push({
      cadence: 'month',
      starts,
      lagging: lagging.map((v) => v.toFixed(2)),
      leads: [lead.map((v) => v.toFixed(2))],
    });
  }
  return groups;
}
