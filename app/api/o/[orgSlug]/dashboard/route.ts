// The role-scoped dashboard read model for a period (React Query period switching, API clients).
import { getDashboard, resolveDashboardPeriod } from '@/lib/dal/dashboards';
import { orgGetRoute } from '../_lib/org-route';

export const dynamic = 'force-dynamic';

export const GET = orgGetRoute((ctx, request) =>
  getDashboard(ctx, resolveDashboardPeriod(new URL(request.url).searchParams.get('period'), ctx.org)),
);
