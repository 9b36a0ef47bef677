import {
  readDashboardPeriod,
  type DashboardPeriod,
  type PeriodSettings,
} from '@/lib/domain/dashboard/periods';
import { todayInTimeZone } from '@/lib/domain/dates';
import { toQueryString } from './query';

/**
 * The dashboard's view in the URL (`/o/<slug>?period=month-2026-11-01`): its one choice is the
 * period. Reading it is readDashboardPeriod's (the key's shape, the fiscal calendar, nothing in
 * the future): a bad or repeated one shows the last complete month and says so (`refused`).
 * Writing stays free of zod and the calendar, so the client's period picker can import it.
 */
export type DashboardView = { period: DashboardPeriod; refused: boolean };

/** Reads the dashboard's view from its search parameters; never throws. */
export function parseDashboardView(
  query: Record<string, string | string[] | undefined>,
  org: PeriodSettings,
  today: string = todayInTimeZone(org.timeZone),
): DashboardView {
  return readDashboardPeriod(query.period, org, today);
}

/** The dashboard's query string for a period key (`month-2026-11-01`). */
export function dashboardViewQuery(v: { period: string }): string {
  return toQueryString([['period', v.period]]);
}
