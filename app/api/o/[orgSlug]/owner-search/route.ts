// GET /api/o/<slug>/owner-search?q=&limit=: the KPI form's owner picker, search as you type; 403 for whoever may assign owners nowhere.
import { mayAssignOwners, searchAssignees } from '@/lib/dal/dashboards/assignees';
import { forbiddenError } from '@/lib/errors';
import { parseOrThrow, queryOf } from '@/lib/server/api-route';
import { ownerSearchQuery } from '@/lib/validation/picker-search';
import { orgGetRoute } from '../_lib/org-route';

export const dynamic = 'force-dynamic';

export const GET = orgGetRoute(async (ctx, request) => {
  if (!mayAssignOwners(ctx)) throw forbiddenError();
  const { q, limit } = parseOrThrow(ownerSearchQuery, queryOf(request));
  return searchAssignees(ctx, q, limit);
});
