import type { Cadence } from './periods';

/**
 * The organization's general settings as rules, pure: the locales it may choose, the time zones,
 * the fiscal-year months, the status thresholds as percentages, and what a change of fiscal
 * year or time zone does to stored period values (the sentence the preview shows).
 */

/** Locales an organization may write its numbers, currencies and dates in. */
export const ORG_LOCALES = ['en-US', 'en-GB', 'de-DE', 'fr-FR'] as const;
export type OrgLocale = (typeof ORG_LOCALES)[number];
export const DEFAULT_ORG_LOCALE: OrgLocale = 'en-US';

/** A stored locale as one of the supported ones (anything else reads as the default). */
export function toOrgLocale(value: string | null | undefined): OrgLocale {
  return (ORG_LOCALES as readonly string[]).includes(value ?? '')
    ? (value as OrgLocale)
    : DEFAULT_ORG_LOCALE;
}

export const LOCALE_LABELS: Record<OrgLocale, string> = {
  'en-US': 'English (United States)',
  'en-GB': 'English (United Kingdom)',
  'de-DE': 'Deutsch (Deutschland)',
  'fr-FR': 'Français (France)',
};

/** A sample of how a locale writes a number and a date, shown next to the choice. */
export function localeSample(locale: OrgLocale): string {
  const n = new Intl.NumberFormat(locale, { maximumFractionDigits: 1 }).format(1234.5);
  const d = new Intl.DateTimeFormat(locale, { dateStyle: 'short', timeZone: 'UTC' }).format(
    new Date(Date.UTC(2026, 11, 31)),
  );
  return `${n} · ${d}`;
}

let zones: readonly string[] | null = null;

/** The IANA time zones this runtime knows, sorted, `UTC` included. */
export function timeZoneNames(): readonly string[] {
  zones ??= [...new Set(['UTC', ...Intl.supportedValuesOf('timeZone')])].sort();
  return zones;
}

/** True for a zone of `timeZoneNames()` (exact spelling: `Europe/Berlin`, not `europe/berlin`). */
export function isListedTimeZone(name: string): boolean {
  return timeZoneNames().includes(name);
}

/** Month names for the fiscal-year start (1 = January). */
export const MONTH_NAMES: readonly string[] = Array.from({ length: 12 }, (_, i) =>
  new Intl.DateTimeFormat('en-US', { month: 'long', timeZone: 'UTC' }).format(
    new Date(Date.UTC(2026, i, 1)),
  ),
);

/** Status thresholds are edited as whole percentages of the target. */
export const MIN_THRESHOLD_PERCENT = 1;
export const MAX_THRESHOLD_PERCENT = 200;

/** A flow is graded once at most this share of its open period has passed (the column is < 1). */
export const MAX_GRADE_AFTER_PERCENT = 99;

/** A stored threshold (a share, `0.85`) as a whole percentage (85). */
export function thresholdPercent(share: number): number {
  return Math.round(share * 100);
}

/** A whole percentage as the exact decimal string stored (85 -> `0.85`). */
export function thresholdShare(percent: number): string {
  const whole = Math.trunc(percent / 100);
  const rest = String(percent % 100).padStart(2, '0');
  return `${whole}.${rest}`;
}

/** Why a pair of thresholds cannot be used, or null: on track must be above at risk. */
export function thresholdsProblem(onTrackPercent: number, atRiskPercent: number): string | null {
  if (onTrackPercent <= atRiskPercent) {
    return `"At risk at" must be below "On track at" (${onTrackPercent}%).`;
  }
  return null;
}

/** Stored period values of the cadences a fiscal-year change regroups. */
export type FiscalRegroupFacts = {
  /** Per cadence: KPIs with stored values, and distinct periods among them. */
  quarter: { kpis: number; periods: number };
  year: { kpis: number; periods: number };
  /** Per-period targets of quarterly and yearly KPIs that would no longer start a period. */
  strandedTargets: number;
};

/** The cadences whose periods move when the fiscal year starts in another month. */
export function regroupedCadences(fromMonth: number, toMonth: number): Cadence[] {
  if (fromMonth === toMonth) return [];
  // Quarters start every three months: a shift by a multiple of three keeps them.
  return (toMonth - fromMonth) % 3 === 0 ? ['year'] : ['quarter', 'year'];
}

/** What changing the fiscal year and time zone will do, as the preview tells it. */
export type SettingsChangePlan = {
  fiscalYear: { from: number; to: number } | null;
  timeZone: { from: string; to: string } | null;
  /** Stored period values that will be recomputed, by cadence (zero where not regrouped). */
  recompute: {
    quarter: { kpis: number; periods: number };
    year: { kpis: number; periods: number };
  };
  strandedTargets: number;
  /** One sentence a person reads before confirming. */
  summary: string[];
};

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/**
 * The plan of a settings change from the facts of the org's stored values (read before): which
 * cadences are regrouped, how many periods of how many KPIs are recomputed, and the sentences.
 */
export function planSettingsChange(input: {
  from: { fyStartMonth: number; timeZone: string };
  to: { fyStartMonth: number; timeZone: string };
  facts: FiscalRegroupFacts;
  /** Today in the new time zone (for the sentence). */
  todayInNewZone: string;
}): SettingsChangePlan {
  const { from, to, facts } = input;
  const cadences = regroupedCadences(from.fyStartMonth, to.fyStartMonth);
  const none = { kpis: 0, periods: 0 };
  const recompute = {
    quarter: cadences.includes('quarter') ? facts.quarter : none,
    year: cadences.includes('year') ? facts.year : none,
  };
  const fiscalYear =
    from.fyStartMonth === to.fyStartMonth ? null : { from: from.fyStartMonth, to: to.fyStartMonth };
  const timeZone = from.timeZone === to.timeZone ? null : { from: from.timeZone, to: to.timeZone };
  const strandedTargets = fiscalYear ? facts.strandedTargets : 0;
  const summary: string[] = [];
  if (fiscalYear) {
    const month = (m: number) => MONTH_NAMES[m - 1] ?? String(m);
    summary.push(
      `Fiscal years will start in ${month(fiscalYear.to)} instead of ${month(fiscalYear.from)}.`,
    );
    const kpis = recompute.quarter.kpis + recompute.year.kpis;
    if (kpis === 0) {
      const which = cadences.includes('quarter') ? 'quarterly or yearly' : 'yearly';
      summary.push(`No ${which} KPI has values yet: nothing to recompute.`);
    } else {
      const parts: string[] = [];
      if (recompute.quarter.periods > 0)
        parts.push(plural(recompute.quarter.periods, 'quarterly period'));
      if (recompute.year.periods > 0) parts.push(plural(recompute.year.periods, 'yearly period'));
      summary.push(
        `${parts.join(' and ')} of ${plural(kpis, 'KPI')} will be recomputed from their check-ins.`,
      );
    }
    if (!cadences.includes('quarter')) {
      summary.push('Quarters stay as they are (the start moves by whole quarters).');
    }
    if (strandedTargets > 0) {
      summary.push(
        `${plural(strandedTargets, 'per-period target')} of quarterly or yearly KPIs no longer start a period and will be removed (the audit log keeps them).`,
      );
    }
  }
  if (timeZone) {
    summary.push(
      `"Today", the open period and reminder times will follow ${timeZone.to} (today there: ${input.todayInNewZone}). Stored values depend only on check-in dates and stay as they are.`,
    );
  }
  return { fiscalYear, timeZone, recompute, strandedTargets, summary };
}
