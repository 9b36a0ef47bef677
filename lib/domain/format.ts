import { Dec } from './decimal';
import { formatFixedDecimal } from './locale-number';

export type MeasureUnit = 'count' | 'currency' | 'percent' | 'ratio' | 'duration';
export const MEASURE_UNITS = [
  'count',
  'currency',
  'percent',
  'ratio',
  'duration',
] as const satisfies readonly MeasureUnit[];

/**
 * Formats an exact decimal string for display in the organization's `locale` (en-US, en-GB,
 * de-DE, fr-FR) with the KPI's decimals and measure unit: `currency` with its ISO code placed the
 * locale's way (`€1,234.50`, `1.234,50 €`), `percent` with the locale's percent sign (`12%`,
 * `12 %`), `ratio` with ×, `duration` as given. Rounds half away from zero on the exact decimal,
 * never on a float; the digits printed are exactly those of the rounded decimal.
 */
export function formatValue(
  value: string | null,
  unit: { measureUnit: MeasureUnit; currency: string | null; decimals: number },
  locale: string,
): string {
  if (value === null) return '—';
  const fixed = new Dec(value).toFixed(unit.decimals, Dec.ROUND_HALF_UP);
  switch (unit.measureUnit) {
    case 'currency':
      if (unit.currency && /^[A-Z]{3}$/.test(unit.currency)) {
        return formatFixedDecimal(fixed, locale, { style: 'currency', currency: unit.currency });
      }
      return formatFixedDecimal(fixed, locale);
    case 'percent':
      // The stored value is already in percent (12 means 12%).
      return formatFixedDecimal(fixed, locale, { style: 'percent' });
    case 'ratio':
      return `${formatFixedDecimal(fixed, locale)}×`;
    default:
      return formatFixedDecimal(fixed, locale);
  }
}

/** Past this many percent a share is shown as `>999%` (see `formatProgress`). */
export const MAX_SHOWN_PERCENT = 999;

/**
 * The one percent formatter: a fraction (1 = 100%: a share of target, or pace) as a whole
 * percentage in `locale` (`12%`, `12 %` in de-DE and fr-FR), or an em dash for none. Past 999%
 * (or below -999%) it is shown compactly as `>999%` (`<-999%`), so a tiny target never prints
 * "90,400%" into a narrow column.
 */
export function formatProgress(progress: number | null, locale: string): string {
  if (progress === null || !Number.isFinite(progress)) return '—';
  const percent = Math.round(progress * 100);
  const pct = (n: number) => formatFixedDecimal(String(n), locale, { style: 'percent' });
  if (percent > MAX_SHOWN_PERCENT) return `>${pct(MAX_SHOWN_PERCENT)}`;
  if (percent < -MAX_SHOWN_PERCENT) return `<${pct(-MAX_SHOWN_PERCENT)}`;
  return pct(percent === 0 ? 0 : percent);
}
