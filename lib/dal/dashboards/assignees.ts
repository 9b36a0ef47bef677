import { can, leadsUnit } from '@/lib/authz/can';
import type { OrgContext } from '@/lib/server/org-context';
import { listUnitRefs } from '@/lib/dal/units/refs';
import type { SearchPage } from '@/lib/dal/kpis/parent-search';
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
  if (!mayAssignOwners(ctx)) return [];
  const unitRefs = await listUnitRefs(ctx);
  const people = await listPeopleRefs(ctx, new Map(unitRefs.map((u) => [u.id, u.name])));
  return people
    .filter((p) => admin || leadsUnit(ctx, p.homeUnitId))
    .map((p) => ({ userId: p.userId, name: p.name, unitName: p.homeUnitName }));
}

/** True when the actor may make someone a KPI owner at all: owners, admins and unit leads. */
export function mayAssignOwners(ctx: OrgContext): boolean {
  return can(ctx, 'kpis.read_all') || ctx.actor.ledUnitIds.length > 0;
}

/**
 * The people the actor may make a KPI owner (listAssignees' rule) whose name or home unit's
 * name contains `query` (case-insensitive; everyone for an empty query), by name: the first
 * `limit` with the total. Tenant: ctx.org.
 */
export async function searchAssignees(
  ctx: OrgContext,
  query: string,
  limit: number,
): Promise<SearchPage<AssigneeDto>> {
  const text = query.trim().toLocaleLowerCase();
  const matches = (await listAssignees(ctx)).filter(
    (p) =>
      text === '' ||
      p.name.toLocaleLowerCase().includes(text) ||
      p.unitName.toLocaleLowerCase().includes(text),
  );
  return { total: matches.length, hits: matches.slice(0, limit) };
}
