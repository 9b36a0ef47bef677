import { CATEGORIES, INDICATORS } from '@/lib/validation/kpis';

/** A KPI's category: where it sits in the strategy (KPI-EXAMPLES.md, "kinds of KPI"). */
export type KpiCategory = (typeof CATEGORIES)[number];
/** A KPI's indicator: leading (predicts, can be acted on) or lagging (measures the outcome). */
export type KpiIndicator = (typeof INDICATORS)[number];

export const CATEGORY_LABEL: Record<KpiCategory, string> = {
  strategic: 'Strategic',
  operational: 'Operational',
  functional: 'Functional',
};

export const INDICATOR_LABEL: Record<KpiIndicator, string> = {
  leading: 'Leading',
  lagging: 'Lagging',
};

/** How many leading and lagging KPIs a unit tracks. */
export type IndicatorBalance = Record<KpiIndicator, number>;

/** Counts the leading and lagging KPIs of a list. Pure. */
export function indicatorBalance(kpis: readonly { indicator: KpiIndicator }[]): IndicatorBalance {
  const balance: IndicatorBalance = { leading: 0, lagging: 0 };
  for (const k of kpis) balance[k.indicator] += 1;
  return balance;
}

/** "3 leading, 5 lagging"; empty when the unit tracks no KPI. */
export function balanceText(b: IndicatorBalance): string {
  if (b.leading + b.lagging === 0) return '';
  return `${b.leading} leading, ${b.lagging} lagging`;
}

/**
 * The hint a unit gets when every KPI it tracks is lagging: results only tell it too late what
 * went wrong. Null when it has a leading indicator, or no KPI at all.
 */
export function onlyLaggingHint(b: IndicatorBalance): string | null {
  if (b.lagging === 0 || b.leading > 0) return null;
  return 'Only lagging indicators: add a leading one that predicts them (as pipeline predicts revenue).';
}

export function isKpiCategory(value: string): value is KpiCategory {
  return (CATEGORIES as readonly string[]).includes(value);
}

export function isKpiIndicator(value: string): value is KpiIndicator {
  return (INDICATORS as readonly string[]).includes(value);
}
