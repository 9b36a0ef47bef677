import type { TimeAggregation } from '@/lib/domain/aggregation';

/*
 * The y-axis of a KPI chart: which range it spans and how its labels read. Pure; numbers here are
 * for drawing only (never on a write path).
 */

/** Share of the data's span added above and below a level KPI's data. */
const PADDING = 0.1;

/** The axis range, four `step`s from `min` to `max`. */
export type AxisDomain = { min: number; max: number; step: number };

/** Steps per axis: five ticks, each on a nice value. */
const STEPS = 4;

/**
 * Candidate steps from the smallest at least `rough`: a whole digit (1, 2, 3, 4, 5, 6, 8) times a
 * power of ten, so every tick is a multiple of that power and its label is exact (never 2.5, whose
 * ticks such as 9.25M would need one more decimal than the step's power).
 */
function niceSteps(rough: number): number[] {
  const power = 10 ** Math.floor(Math.log10(rough));
  return [1, 2, 3, 4, 5, 6, 8, 10, 20, 30, 40, 50]
    .map((m) => m * power)
    .filter((v) => v >= rough * (1 - 1e-12));
}

/** Clean float noise (0.30000000000000004) so ticks and tests read as written. */
const clean = (v: number) => Number(v.toPrecision(12)) || 0;

/**
 * The y-axis range of a KPI chart. Levels and rates (`last`, `average`: ARR, headcount, NPS) fit
 * their data (actuals and targets) with 10% padding on either side, on four nice steps, so growth
 * and the gap to target are visible instead of flattened against zero; the range never crosses
 * zero when the data does not. Flows (`sum`) start at zero (a month's bookings read as a height),
 * or below it when the data goes negative. Null without any finite value (the chart shows its own
 * empty state).
 */
export function yAxisDomain(
  values: readonly (number | null)[],
  timeAggregation: TimeAggregation,
): AxisDomain | null {
  const finite = values.filter((v): v is number => v !== null && Number.isFinite(v));
  if (finite.length === 0) return null;
  let lo = Math.min(...finite);
  let hi = Math.max(...finite);
  if (timeAggregation === 'sum') {
    lo = Math.min(0, lo);
    hi = Math.max(0, hi);
  }
  const span = hi - lo || Math.abs(hi) || 1;
  const padded = {
    min: timeAggregation === 'sum' && lo === 0 ? 0 : lo - span * PADDING,
    max: timeAggregation === 'sum' && hi === 0 ? 0 : hi + span * PADDING,
  };
  // Never invent a sign the data does not have.
  if (lo >= 0 && padded.min < 0) padded.min = 0;
  if (hi <= 0 && lo < 0 && padded.max > 0) padded.max = 0;
  if (padded.max <= padded.min) padded.max = padded.min + 1;
  // The smallest nice step whose four steps from a multiple of it cover the padded range.
  for (const step of niceSteps((padded.max - padded.min) / STEPS)) {
    let min = Math.floor(padded.min / step + 1e-9) * step;
    // A level's axis stays on the data's side of zero even when rounding down would cross it.
    if (lo >= 0 && min < 0) min = 0;
    if (min + STEPS * step >= padded.max - step * 1e-9) {
      let max = min + STEPS * step;
      // Keep an all-negative range below zero: shift the four steps down to end at or under 0.
      if (hi <= 0 && lo < 0 && max > 0) {
        const shift = Math.ceil(max / step - 1e-9) * step;
        min -= shift;
        max -= shift;
      }
      return { min: clean(min), max: clean(max), step: clean(step) };
    }
  }
  /* c8 ignore next: the last candidate (at least 5x the rough step) always covers the range. */
  throw new Error('no axis step found');
}

/** The axis's ticks, bottom first: `min`, each step up, `max`. */
export function axisTicks(domain: AxisDomain): number[] {
  return Array.from({ length: STEPS + 1 }, (_, i) => clean(domain.min + i * domain.step));
}

/**
 * A short axis label in the locale (`9.4M`, `120K`, `0.5`, `-2.1K`; `9,4 Mio.` in de-DE): a few
 * characters, so it neither wraps nor is cut off on a phone. Given the axis `step`, it keeps just
 * the decimals that tell its ticks apart (`8.05M` on a 50K step, `8M` on a 1M one). The unit (USD)
 * is named once beside the chart, not on every tick; a percent keeps its `%`.
 */
export function compactAxisLabel(
  value: number,
  locale = 'en-US',
  suffix = '',
  step?: number,
): string {
  if (!Number.isFinite(value)) return '';
  const magnitude =
    Math.abs(value) >= 1000 ? Math.min(12, Math.floor(Math.log10(Math.abs(value)) / 3) * 3) : 0;
  const digits =
    step !== undefined && step > 0
      ? Math.max(0, Math.min(3, magnitude - Math.floor(Math.log10(step) + 1e-9)))
      : 1;
  const options = { notation: 'compact', maximumFractionDigits: digits } as const;
  let text: string;
  try {
    text = new Intl.NumberFormat(locale, options).format(value);
  } catch {
    text = new Intl.NumberFormat('en-US', options).format(value);
  }
  return `${text}${suffix}`;
}
