// GET /api/o/<slug>/members: every member's id and name (a commentary's next-action owner picker loads it when used).
import { listMemberNames } from '@/lib/dal/people/members';
import { orgGetRoute } from '../_lib/org-route';

export const dynamic = 'force-dynamic';

export const GET = orgGetRoute((ctx) => listMemberNames(ctx));
