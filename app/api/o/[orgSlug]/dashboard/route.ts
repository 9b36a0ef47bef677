// The role-scoped dashboard read model for a period (React Query period switching, API clients).
import { getDashboard } from '@/lib/dal/dashboards/dashboard';
import { orgGetRoute } from '../_lib/org-route';
import { periodParam } from '../_lib/period-param';

export const dynamic = 'force-dynamic';

export const GET = orgGetRoute((ctx, request) =>
  getDashboard(ctx, periodParam(ctx, request)),
);
