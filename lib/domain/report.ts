import { Dec, toPlainString } from './decimal';
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

/** A signed, formatted change ("+1,200", "-3.5") from an already formatted absolute value. */
export function signedChange(change: string | null, formatAbs: (abs: string) => string): string {
  if (change === null) return '—';
  const d = new Dec(change);
  if (d.isZero()) return '±0';
  return `${d.isNegative() ? '−' : '+'}${formatAbs(toPlainString(d.abs()))}`;
}
