import { parseFormula } from '@/lib/domain/formula/parser';
import { distinctReads } from '@/lib/domain/formula/references';
import { shiftPeriod } from '@/lib/domain/formula/period-inputs';
import { cadenceMonths, periodStart, type Cadence } from '@/lib/domain/periods';
import { SHAPE_WINDOW } from './methods';
import { PROJECTION_HISTORY } from './projection';

/*
 * Which check-ins a projection reads (issue 24, item 1, review): a manual flow's intra-period
 * shape reads its check-ins in the last SHAPE_WINDOW periods before the open one (at most the
 * PROJECTION_HISTORY periods its trend reads), at each cadence it is projected at: its own, and
 * the longer cadence of a formula that reads it (projectSeries reads it as a series of that
 * cadence then). Loaders read from the earliest of those starts, never the whole history.
 */

/** What the window reads of a KPI: its key, cadence, rollup, aggregation and formula text. */
export type WindowKpi = {
  id: string;
  key: string | null;
  cadence: Cadence;
  rollup: string;
  timeAggregation: string;
  formula: string | null;
};

/** The first day of the check-ins a projection of a flow read at `cadence` reads on `today`. */
export function shapeWindowStart(cadence: Cadence, today: string, fyStartMonth: number): string {
  return shiftPeriod(
    periodStart(today, cadence, fyStartMonth),
    cadence,
    Math.min(SHAPE_WINDOW, PROJECTION_HISTORY[cadence]),
  );
}

/**
 * The manual flows (`sum`, rollup `manual`) among `kpis` grouped by the first day of the
 * check-ins their projections read on `today` (first day -> flow ids): at most one group per
 * cadence. Formulas read as `kpis` holds them (a flow read by a formula outside `kpis` is read
 * at its own cadence).
 */
export function readingsWindows(
  kpis: readonly WindowKpi[],
  today: string,
  fyStartMonth: number,
): Map<string, string[]> {
  // the longest cadence each key is read at by a formula
  const readAt = new Map<string, Cadence>();
  for (const k of kpis) {
    if (k.rollup !== 'formula' || k.formula === null) continue;
    for (const { key } of distinctReads(parseFormula(k.formula))) {
      const known = readAt.get(key);
      if (!known || cadenceMonths(k.cadence) > cadenceMonths(known)) readAt.set(key, k.cadence);
    }
  }
  const groups = new Map<string, string[]>();
  for (const k of kpis) {
    if (k.rollup !== 'manual' || k.timeAggregation !== 'sum') continue;
    const formula = k.key === null ? undefined : readAt.get(k.key);
    const longest =
      formula && cadenceMonths(formula) > cadenceMonths(k.cadence) ? formula : k.cadence;
    // a longer cadence reads further back (SHAPE_WINDOW or PROJECTION_HISTORY longer periods)
    const from = [k.cadence, longest]
      .map((c) => shapeWindowStart(c, today, fyStartMonth))
      .reduce((a, b) => (a < b ? a : b));
    const ids = groups.get(from);
    if (ids) ids.push(k.id);
    else groups.set(from, [k.id]);
  }
  return groups;
}
