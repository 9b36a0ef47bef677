import { normalizeDecimal } from '@/lib/domain/decimal';
import { periodLabel, periodStart, type Cadence } from '@/lib/domain/periods';
import type { Problem } from '@/lib/domain/problem';

/* Rules of per-period target overrides that need no I/O. */

const CADENCE_NOUN = { month: 'month', quarter: 'quarter', year: 'year' } as const;

/**
 * Why `start` cannot carry a target override of a KPI of `cadence` (it does not start one of its
 * periods in the org's fiscal year), naming the period start to choose instead; else null.
 */
export function targetPeriodProblem(
  start: string,
  cadence: Cadence,
  fyStartMonth: number,
  locale: string,
): Problem | null {
  const expected = periodStart(start, cadence, fyStartMonth);
  if (expected === start) return null;
  return {
    message: `${start} does not start a ${CADENCE_NOUN[cadence]} of this KPI.`,
    fieldErrors: {
      periodStart: [
        `Choose the first day of a ${CADENCE_NOUN[cadence]}, such as ${expected} (${periodLabel(expected, cadence, fyStartMonth, locale)})`,
      ],
    },
  };
}

/**
 * The overrides a change to `cadence` strands (they no longer start a period), targets
 * normalized, in the given order.
 */
export function strandedTargets(
  overrides: readonly { periodStart: string; target: string }[],
  cadence: Cadence,
  fyStartMonth: number,
): { periodStart: string; target: string }[] {
  return overrides
    .filter((t) => periodStart(t.periodStart, cadence, fyStartMonth) !== t.periodStart)
    .map((t) => ({ periodStart: t.periodStart, target: normalizeDecimal(t.target) }));
}
