// GET /api/o/<slug>/members?q=&limit=: members' ids and names matching q (a commentary's next-action owner picker searches it as one types).
import { searchMemberNames } from '@/lib/dal/people/members';
import { parseOrThrow, queryOf } from '@/lib/server/api-route';
import { ownerSearchQuery } from '@/lib/validation/picker-search';
import { orgGetRoute } from '../_lib/org-route';

export const dynamic = 'force-dynamic';

export const GET = orgGetRoute(async (ctx, request) => {
  const { q, limit } = parseOrThrow(ownerSearchQuery, queryOf(request));
  return searchMemberNames(ctx, q, limit);
});
