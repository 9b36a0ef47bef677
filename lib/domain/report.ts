import { Dec, toPlainString } from './decimal';
import { cadenceMonths, periodEndExclusive, type Cadence } from './periods';
import type { Status } from './progress';

/**
 * Pure rules of the period report: what changed since the previous period. No I/O; the report
 * DAL feeds it the dashboard's own period views.
 */

/** The change of a value since the previous period (exact decimal string), or null when either is missing. */
export function valueChange(current: string | null, previous: string | null): string | null {
  if (current === null || previous === null) return null;
  return toPlainString(new Dec(current).minus(new Dec(previous)));
}

/** Turned red: off track now, and was not off track (with data) in the previous period. */
export function turnedRed(current: Status, previous: Status | null): boolean {
  return (
    current === 'off_track' &&
    previous !== null &&
    previous !== 'off_track' &&
    previous !== 'no_data'
  );
}

/** Turned green: on track now after being at risk or off track in the previous period. */
export function turnedGreen(current: Status, previous: Status | null): boolean {
  return current === 'on_track' && (previous === 'at_risk' || previous === 'off_track');
}

/**
 * What a report's "Change" is against: "Nov 1 – 5" (an open period to date) or "Nov 2026" (the
 * complete previous period); snapshots from before like-for-like change name the previous period.
 */
export function comparedWith(report: {
  previousPeriod: { label: string };
  comparison?: { label: string };
}): string {
  return report.comparison?.label ?? report.previousPeriod.label;
}

/** A signed, formatted change ("+1,200", "-3.5") from an already formatted absolute value. */
export function signedChange(change: string | null, formatAbs: (abs: string) => string): string {
  if (change === null) return '—';
  const d = new Dec(change);
  if (d.isZero()) return '±0';
  return `${d.isNegative() ? '−' : '+'}${formatAbs(toPlainString(d.abs()))}`;
}

/**
 * The dates a KPI's report numbers cover, as `[start, end)`: the report's period, or the KPI's own
 * period containing it when its cadence is longer. Its commentary is the latest dated inside.
 */
export function commentarySpan(
  kpi: { cadence: Cadence; view: { start: string } },
  period: { cadence: Cadence; start: string },
): { start: string; end: string } {
  const longer = cadenceMonths(kpi.cadence) > cadenceMonths(period.cadence);
  const start = longer ? kpi.view.start : period.start;
  return { start, end: periodEndExclusive(start, longer ? kpi.cadence : period.cadence) };
}

/** The smallest `[from, to)` covering the report's period and every span. */
export function spansWindow(
  spans: Iterable<{ start: string; end: string }>,
  period: { cadence: Cadence; start: string },
): { from: string; to: string } {
  let from = period.start;
  let to = periodEndExclusive(period.start, period.cadence);
  for (const s of spans) {
    if (s.start < from) from = s.start;
    if (s.end > to) to = s.end;
  }
  return { from, to };
}
