// GET /api/o/<slug>/members?q=&limit=&exclude=: members' ids, names and emails matching q (the pickers of a next action's owner, a new owner, the history's person and a report's recipients search it as one types).
import { searchMemberNames } from '@/lib/dal/people/members';
import { parseOrThrow, queryOf } from '@/lib/server/api-route';
import { memberSearchQuery } from '@/lib/validation/picker-search';
import { orgGetRoute } from '../_lib/org-route';

export const dynamic = 'force-dynamic';

export const GET = orgGetRoute(async (ctx, request) => {
  const { q, limit, exclude } = parseOrThrow(memberSearchQuery, queryOf(request));
  return searchMemberNames(ctx, q, limit, exclude);
});
