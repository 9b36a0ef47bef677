import { aggregateValues, type TimeAggregation } from '@/lib/domain/aggregation';
import { addMonths } from '@/lib/domain/dates';
import { cadenceMonths, subPeriodStarts, type Cadence } from '@/lib/domain/periods';

/*
 * Period semantics of formula inputs (DESIGN section 2, "Formula KPIs"): for a formula KPI's
 * period P of cadence C, an input of a cadence no longer than C contributes the time aggregate
 * (its own method: sum, last or average) of its period values inside P, exactly as a shorter
 * child contributes to a rollup parent (`childContribution`): a monthly `sum` input under a
 * quarterly formula gives its quarter total, a monthly `last` input the last month that has a
 * value, an `average` input the average of the months that have one. `prev(k, n)` reads k the
 * same way in the period n periods of C before P.
 */

/** An input as the period semantics sees it: its cadence, aggregation and period values. */
export type InputSeries = {
  cadence: Cadence;
  timeAggregation: TimeAggregation;
  /** Period start (of the input's cadence) -> exact decimal string; only periods with a value. */
  values: ReadonlyMap<string, string>;
};

/** The start of the period `periodsBack` periods of `cadence` before the one starting `start`. */
export function shiftPeriod(start: string, cadence: Cadence, periodsBack: number): string {
  return addMonths(start, -periodsBack * cadenceMonths(cadence));
}

/**
 * The input's periods (of `inputCadence`) that make up the formula's period `formulaStart`
 * shifted `periodsBack` periods back, ascending. Throws when the input's cadence is longer.
 */
export function inputPeriodStarts(
  formulaStart: string,
  formulaCadence: Cadence,
  inputCadence: Cadence,
  periodsBack: number,
): string[] {
  const target = shiftPeriod(formulaStart, formulaCadence, periodsBack);
  return subPeriodStarts(target, formulaCadence, inputCadence);
}

/**
 * The input's value for the formula's period `formulaStart` (shifted `periodsBack` back): the
 * time aggregation of its values in the periods inside it, chronologically, or null when it has
 * none there. `read` may replace the lookup in `values` (for inputs computed on the fly).
 */
export function inputValueFor(
  input: Pick<InputSeries, 'cadence' | 'timeAggregation'>,
  read: (inputPeriodStart: string) => string | null,
  formulaStart: string,
  formulaCadence: Cadence,
  periodsBack: number,
): string | null {
  const values: string[] = [];
  for (const start of inputPeriodStarts(formulaStart, formulaCadence, input.cadence, periodsBack)) {
    const v = read(start);
    if (v !== null) values.push(v);
  }
  return aggregateValues(input.timeAggregation, values);
}
