// The people the signed-in person may make a KPI owner (the dashboard's owner pickers load it on demand).
import { listAssignees } from '@/lib/dal/dashboards/assignees';
import { orgGetRoute } from '../_lib/org-route';

export const dynamic = 'force-dynamic';

export const GET = orgGetRoute((ctx) => listAssignees(ctx));
