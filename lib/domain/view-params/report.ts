import { z } from 'zod';
import type { DashboardPeriod, PeriodSettings } from '@/lib/domain/dashboard/periods';
import { todayInTimeZone } from '@/lib/domain/dates';
import { parseDashboardView } from './dashboard';
import { queryValue, toQueryString } from './query';

/**
 * The report page's view in the URL (`/o/<slug>/reports?scope=<unit id>&period=quarter-2026-07-01`):
 * the scope (`company`, the default, or a unit's id) and the period (read as the dashboard's).
 * A malformed scope reads as the company and says so (`refused.scope`); a well-formed id that is
 * not a unit of this organization the person may see is the page's to refuse the same way (the
 * DAL answers NOT_FOUND alike for another organization's unit and a missing one). Pure.
 */
export type ReportView = {
  scope: string;
  period: DashboardPeriod;
  refused: { scope: boolean; period: boolean };
};

export const COMPANY_SCOPE = 'company';

const Scope = z.union([z.literal(COMPANY_SCOPE), z.guid()]);

/** Reads the report's view from its search parameters; never throws. */
export function parseReportView(
  query: Record<string, string | string[] | undefined>,
  org: PeriodSettings,
  today: string = todayInTimeZone(org.timeZone),
): ReportView {
  const { period, refused } = parseDashboardView(query, org, today);
  const given = query.scope !== undefined && query.scope !== '';
  const scope = Scope.safeParse(queryValue(query, 'scope'));
  return {
    scope: scope.success ? scope.data : COMPANY_SCOPE,
    period,
    refused: { scope: given && !scope.success, period: refused },
  };
}

/** The report's query string: both parts always, so a shared link keeps its period for good. */
export function reportViewQuery(v: { scope: string; period: string }): string {
  return toQueryString([
    ['scope', v.scope],
    ['period', v.period],
  ]);
}
