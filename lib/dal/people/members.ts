import { and, asc, eq, isNotNull, isNull, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import { withOrgRead, withOrgTx } from '@/db/client';
import { memberships, units, users } from '@/db/schema';
import type { Role } from '@/lib/authz/permissions';
import { listMembersByName, listUnitOptions, type UnitOption } from '@/lib/dal/units/refs';
import type { OrgContext } from '@/lib/server/org-context';
import type { SearchPage } from '@/lib/dal/kpis/parent-search';

/*
 * The people page's lists (members with their units, the units a person can be placed in) and the
 * shorter lists of members other pages choose from.
 */

export type MemberDto = {
  userId: string;
  name: string;
  email: string;
  role: Role;
  homeUnitId: string;
  homeUnitName: string;
  /** Units (not archived) this person leads. */
  ledUnits: { id: string; name: string }[];
  joinedAt: string;
};

export type UnitOptionDto = Pick<UnitOption, 'id' | 'name' | 'kind' | 'depth'>;

const ROLE_ORDER = sql`case ${memberships.role} when 'owner' then 0 when 'admin' then 1 else 2 end`;

/**
 * Members of the organization with their home unit and the units they lead. Visible to every
 * member (the page hides management controls by permission). Tenant-scoped by ctx.org.id.
 */
export async function listMembers(ctx: OrgContext): Promise<MemberDto[]> {
  return withOrgTx(ctx.org.id, async (tx) => {
    const home = alias(units, 'home_unit');
    const rows = await tx
      .select({
        userId: memberships.userId,
        name: users.name,
        email: users.email,
        role: memberships.role,
        homeUnitId: memberships.homeUnitId,
        homeUnitName: home.name,
        joinedAt: memberships.createdAt,
      })
      .from(memberships)
      .innerJoin(users, eq(users.id, memberships.userId))
      .innerJoin(home, and(eq(home.orgId, memberships.orgId), eq(home.id, memberships.homeUnitId)))
      .where(eq(memberships.orgId, ctx.org.id))
      .orderBy(ROLE_ORDER, asc(users.name), asc(users.email));
    const led = await tx
      .select({ id: units.id, name: units.name, leadUserId: units.leadUserId })
      .from(units)
      .where(
        and(eq(units.orgId, ctx.org.id), isNotNull(units.leadUserId), isNull(units.archivedAt)),
      )
      .orderBy(asc(units.name));
    const ledBy = new Map<string, { id: string; name: string }[]>();
    for (const unit of led) {
      if (!unit.leadUserId) continue;
      const list = ledBy.get(unit.leadUserId) ?? [];
      list.push({ id: unit.id, name: unit.name });
      ledBy.set(unit.leadUserId, list);
    }
    return rows.map((row) => ({
      ...row,
      joinedAt: new Date(row.joinedAt).toISOString(),
      ledUnits: ledBy.get(row.userId) ?? [],
    }));
  });
}

/** A member as a choice in a list: the history's person filter, a schedule's recipients. */
export type MemberChoiceDto = { userId: string; name: string; email: string };

/**
 * Members' ids, names and e-mails in the people page's order (owners, admins, then everyone
 * else, by name): one read, without the units listMembers adds. Visible to every member.
 * Tenant-scoped by ctx.org.id.
 */
export async function listMemberChoices(ctx: OrgContext): Promise<MemberChoiceDto[]> {
  return withOrgRead(ctx.org.id, (db) =>
    db
      .select({ userId: memberships.userId, name: users.name, email: users.email })
      .from(memberships)
      .innerJoin(users, eq(users.id, memberships.userId))
      .where(eq(memberships.orgId, ctx.org.id))
      .orderBy(ROLE_ORDER, asc(users.name), asc(users.email)),
  );
}

/** Units (not archived) in tree order with their depth, for home-unit pickers. Tenant-scoped. */
export async function listHomeUnitOptions(ctx: OrgContext): Promise<UnitOptionDto[]> {
  return (await listUnitOptions(ctx)).map(({ id, name, kind, depth }) => ({
    id,
    name,
    kind,
    depth,
  }));
}

/**
 * Members' ids and names whose name contains `query` (case-insensitive; everyone for an empty
 * one), by name: the first `limit` with the total: who a commentary's next action can be given
 * to (its search-as-you-type picker). Visible to every member, as the people page is.
 * Tenant-scoped by ctx.org.id.
 */
export async function searchMemberNames(
  ctx: OrgContext,
  query: string,
  limit: number,
): Promise<SearchPage<{ userId: string; name: string }>> {
  const text = query.trim().toLocaleLowerCase();
  const rows = await withOrgRead(ctx.org.id, (db) => listMembersByName(db, ctx.org.id));
  const matches = rows
    .filter((r) => text === '' || r.name.toLocaleLowerCase().includes(text))
    .map(({ userId, name }) => ({ userId, name }));
  return { total: matches.length, hits: matches.slice(0, limit) };
}
