// The signed-in person's targets and check-ins due for a period (React Query polling, after check-ins).
import { getMyDashboard } from '@/lib/dal/dashboards/my-dashboard';
import { orgGetRoute } from '../_lib/org-route';
import { periodParam } from '../_lib/period-param';

export const dynamic = 'force-dynamic';

export const GET = orgGetRoute((ctx, request) =>
  getMyDashboard(ctx, periodParam(ctx, request)),
);
