// The signed-in person's targets and check-ins due for a period (React Query polling, after check-ins).
import { getMyDashboard } from '@/lib/dal/dashboards/my-dashboard';
import { resolveDashboardPeriod } from '@/lib/domain/dashboard/periods';
import { orgGetRoute } from '../_lib/org-route';

export const dynamic = 'force-dynamic';

export const GET = orgGetRoute((ctx, request) =>
  getMyDashboard(ctx, resolveDashboardPeriod(new URL(request.url).searchParams.get('period'), ctx.org)),
);
