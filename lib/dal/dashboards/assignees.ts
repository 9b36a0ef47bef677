import { can, leadsUnit } from '@/lib/authz/can';
import type { OrgContext } from '@/lib/server/org-context';
import { listUnitRefs } from '@/lib/dal/units/refs';
import { listPeopleRefs } from './people-refs';

/* Who a KPI may be assigned to (the in-place owner pickers, loaded on demand). */

export type AssigneeDto = { userId: string; name: string; unitName: string };

/**
 * The people the actor may make a KPI owner: everyone for owners and admins; for a lead, the
 * people at home in their subtrees (kpis.assign_owner); nobody for anyone else. Tenant: ctx.org.
 * Kept out of the dashboard itself: in a large organization it is thousands of names.
 */
export async function listAssignees(ctx: OrgContext): Promise<AssigneeDto[]> {
  const admin = can(ctx, 'kpis.read_all');
  if (!admin && ctx.actor.ledUnitIds.length === 0) return [];
  const unitRefs = await listUnitRefs(ctx);
  const people = await listPeopleRefs(ctx, new Map(unitRefs.map((u) => [u.id, u.name])));
  return people
    .filter((p) => admin || leadsUnit(ctx, p.homeUnitId))
    .map((p) => ({ userId: p.userId, name: p.name, unitName: p.homeUnitName }));
}
