import { readDashboardPeriod, type DashboardPeriod } from '@/lib/domain/dashboard/periods';
import { validationError } from '@/lib/errors';
import type { OrgContext } from '@/lib/server/org-context';

/**
 * The `?period=` of an API or CSV request: none means the default (the last complete month), and
 * one that cannot be read (malformed, outside the supported years, in the future) is a 400, where
 * a page would fall back with a notice.
 */
export function periodParam(ctx: OrgContext, request: Request): DashboardPeriod {
  const raw = new URL(request.url).searchParams.get('period');
  const { period, refused } = readDashboardPeriod(raw, ctx.org);
  if (refused) {
    const message = 'Choose a period such as month-2026-01-01 (a past or current period).';
    throw validationError(message, { period: [message] });
  }
  return period;
}
