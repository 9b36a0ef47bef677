// The signed-in person's targets and check-ins due for a period (React Query polling, after check-ins).
import { getMyDashboard, resolveDashboardPeriod } from '@/lib/dal/dashboards';
import { orgGetRoute } from '../_lib/org-route';

export const dynamic = 'force-dynamic';

export const GET = orgGetRoute((ctx, request) =>
  getMyDashboard(ctx, resolveDashboardPeriod(new URL(request.url).searchParams.get('period'), ctx.org)),
);
