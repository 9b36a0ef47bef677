import { Dec } from './decimal';

export type MeasureUnit = 'count' | 'currency' | 'percent' | 'ratio' | 'duration';
export const MEASURE_UNITS = ['count', 'currency', 'percent', 'ratio', 'duration'] as const satisfies readonly MeasureUnit[];

/**
 * Formats an exact decimal string for display with the KPI's decimals and measure unit
 * (`currency` with its ISO code, `percent` with %, `ratio` with ×, `duration` as given).
 * Rounds half away from zero on the exact decimal, never on a float.
 */
export function formatValue(
  value: string | null,
  unit: { measureUnit: MeasureUnit; currency: string | null; decimals: number },
  locale = 'en-US',
): string {
  if (value === null) return '—';
  const fixed = new Dec(value).toFixed(unit.decimals, Dec.ROUND_HALF_UP);
  const [intPart = '0', frac] = fixed.replace('-', '').split('.');
  const grouped = BigInt(intPart).toLocaleString(locale);
  const sign = fixed.startsWith('-') && /[1-9]/.test(fixed) ? '-' : '';
  const body = `${sign}${grouped}${frac ? `.${frac}` : ''}`;
  switch (unit.measureUnit) {
    case 'currency':
      return `${body} ${unit.currency ?? ''}`.trim();
    case 'percent':
      return `${body}%`;
    case 'ratio':
      return `${body}×`;
    default:
      return body;
  }
}

/** Past this many percent a share is shown as `>999%` (see `formatProgress`). */
export const MAX_SHOWN_PERCENT = 999;

/**
 * The one percent formatter: a fraction (1 = 100%: a share of target, or pace) as a whole
 * percentage, or an em dash for none. Past 999% (or below -999%) it is shown compactly as
 * `>999%` (`<-999%`), so a tiny target never prints "90,400%" into a narrow column.
 */
export function formatProgress(progress: number | null): string {
  if (progress === null || !Number.isFinite(progress)) return '—';
  const percent = Math.round(progress * 100);
  if (percent > MAX_SHOWN_PERCENT) return `>${MAX_SHOWN_PERCENT}%`;
  if (percent < -MAX_SHOWN_PERCENT) return `<-${MAX_SHOWN_PERCENT}%`;
  return `${percent === 0 ? 0 : percent}%`;
}
