import type { TimeAggregation } from './aggregation';
import { formatDay } from './dates';
import { decEquals } from './decimal';
import { parseLocaleDecimal } from './locale-number';

/*
 * Every reading is kept (DESIGN.md, "Values"): a value saved on a check-in screen is a new reading
 * dated as the screen says. Only a reading of the same KPI on that same date is corrected in place
 * (a level or a rate has one value a day); a reading of another date never is: editing it is an
 * explicit action from the KPI's history. A flow (`sum`) adds every entry to its period's total,
 * so a flow's entry is always a new reading, on any date.
 */

/** One stored reading as a check-in screen knows it. */
export type Reading = { id: string; observedOn: string; value: string; version: number };

/** What saving the text typed for one KPI does. */
export type ReadingPlan =
  | { kind: 'skip'; error?: string }
  | { kind: 'record'; value: string }
  | { kind: 'correct'; value: string; reading: Reading };

/** True for levels and rates: a second value on the same date corrects the first. */
export function correctsSameDate(timeAggregation: TimeAggregation): boolean {
  return timeAggregation !== 'sum';
}

/**
 * The reading a save dated `date` would correct: for a level or a rate, the first of `readings`
 * (latest first) dated `date`; for a flow, or without one, none.
 */
export function sameDateReading(
  timeAggregation: TimeAggregation,
  date: string,
  readings: readonly (Reading | null)[],
): Reading | null {
  if (!correctsSameDate(timeAggregation)) return null;
  return readings.find((r) => r?.observedOn === date) ?? null;
}

/**
 * What saving `text` on a screen dated `date` does: nothing for an empty field (or a typo, with
 * its error), a correction of the KPI's reading of that same date when it has one (nothing when
 * the value is unchanged), else a new reading. Readings of other dates are never corrected.
 */
export function planReading(input: {
  timeAggregation: TimeAggregation;
  date: string;
  text: string;
  readings: readonly (Reading | null)[];
  /** The organization's locale: the text is read its way (`1.234,5` in de-DE). */
  locale: string;
}): ReadingPlan {
  if (input.text.trim() === '') return { kind: 'skip' };
  const parsed = parseLocaleDecimal(input.text, input.locale);
  if (!parsed.ok) return { kind: 'skip', error: parsed.error };
  const reading = sameDateReading(input.timeAggregation, input.date, input.readings);
  if (!reading) return { kind: 'record', value: parsed.value };
  if (decEquals(reading.value, parsed.value)) return { kind: 'skip' };
  return { kind: 'correct', value: parsed.value, reading };
}

/**
 * Why a correction sent from a check-in screen dated `date` is refused: the reading it names is
 * of another date (null when it is of that date).
 */
export function correctionDateProblem(
  readingDate: string,
  date: string,
  locale: string,
): string | null {
  if (readingDate === date) return null;
  return (
    `This reading is dated ${formatDay(readingDate, locale)}: a check-in screen records a new reading ` +
    `dated ${formatDay(date, locale)} instead. Edit older readings from the KPI's history.`
  );
}

/**
 * Why a new reading of a level or a rate is refused: the KPI already has one that day (recorded
 * in the meantime, or not shown on this screen); the screen corrects it once it shows it.
 */
export function sameDateReadingExists(date: string, locale: string): string {
  return (
    `This KPI already has a reading dated ${formatDay(date, locale)}. ` +
    "Reload to correct it, or edit it from the KPI's history."
  );
}
