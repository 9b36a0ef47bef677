/* The points of a trend with an open period: the sparklines and the KPI chart draw them (pure). */

/** A point of a trend; `partial` marks the open period, whose value is only "so far". */
export type TrendPoint = { label: string; value: number | null; partial?: boolean };

/**
 * Splits a trend into complete periods and the open one: the open period is drawn as its own
 * faint series, joined to the last complete point, so a flow's month to date never reads as a
 * cliff.
 */
export function splitPartial(
  data: readonly TrendPoint[],
): { period: string; Value: number | null; 'So far': number | null }[] {
  const lastComplete = data.map((p) => !p.partial && p.value !== null).lastIndexOf(true);
  return data.map((p, i) => ({
    period: p.partial ? `${p.label} (so far)` : p.label,
    Value: p.partial ? null : p.value,
    'So far':
      p.partial || (i === lastComplete && data.some((q) => q.partial && q.value !== null))
        ? p.value
        : null,
  }));
}
