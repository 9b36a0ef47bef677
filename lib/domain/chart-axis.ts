import type { TimeAggregation } from '@/lib/domain/aggregation';

/*
 * The y-axis of a KPI chart: which range it spans and how its labels read. Pure; numbers here are
 * for drawing only (never on a write path).
 */

/** Share of the data's span added above and below a level KPI's data. */
const PADDING = 0.1;

/** The axis range: Tremor's minValue / maxValue. */
export type AxisDomain = { min: number; max: number };

/** A "nice" step (1, 2, 2.5 or 5 times a power of ten) at least `rough`. */
function niceStep(rough: number): number {
  const power = 10 ** Math.floor(Math.log10(rough));
  const step = [1, 2, 2.5, 5, 10].find((m) => m * power >= rough * (1 - 1e-12)) ?? 10;
  return step * power;
}

/**
 * The y-axis range of a KPI chart. Levels and rates (`last`, `average`: ARR, headcount, NPS) fit
 * their data (actuals and targets) with 10% padding on either side, rounded out to a nice step,
 * so growth and the gap to target are visible instead of flattened against zero; the range never
 * crosses zero when the data does not. Flows (`sum`) start at zero (a month's bookings read as a
 * bar's height), or below it when the data goes negative. Null without any finite value (the
 * chart shows its own empty state).
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
  const step = niceStep((padded.max - padded.min) / 4);
  const min = Math.floor(padded.min / step + 1e-9) * step;
  const max = Math.ceil(padded.max / step - 1e-9) * step;
  // Clean float noise (0.30000000000000004) so ticks and tests read as written.
  const clean = (v: number) => Number(v.toPrecision(12)) || 0;
  return { min: clean(min), max: clean(max === min ? min + step : max) };
}

/**
 * A short axis label in the locale (`9.4M`, `120K`, `0.5`, `-2.1K`; `9,4 Mio.` in de-DE): never
 * more than a few characters, so it neither wraps nor is cut off on a phone. The unit (USD, %)
 * is shown once beside the chart, not on every tick; a percent KPI keeps its `%`.
 */
export function compactAxisLabel(value: number, locale = 'en-US', suffix = ''): string {
  if (!Number.isFinite(value)) return '';
  let text: string;
  try {
    text = new Intl.NumberFormat(locale, { notation: 'compact', maximumFractionDigits: 1 }).format(
      value,
    );
  } catch {
    text = new Intl.NumberFormat('en-US', { notation: 'compact', maximumFractionDigits: 1 }).format(
      value,
    );
  }
  return `${text}${suffix}`;
}
