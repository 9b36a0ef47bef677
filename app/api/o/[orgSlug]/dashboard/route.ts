// The role-scoped dashboard read model for a period (React Query period switching, API clients).
import { getDashboard } from '@/lib/dal/dashboards/dashboard';
import { resolveDashboardPeriod } from '@/lib/domain/dashboard/periods';
import { orgGetRoute } from '../_lib/org-route';

export const dynamic = 'force-dynamic';

export const GET = orgGetRoute((ctx, request) =>
  getDashboard(ctx, resolveDashboardPeriod(new URL(request.url).searchParams.get('period'), ctx.org)),
);
