import { and, asc, eq, inArray, isNull, ne, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import { withOrgRead, withOrgTx } from '@/db/client';
import { memberships, units, users } from '@/db/schema';
import type { Role } from '@/lib/authz/permissions';
import { listUnitOptions, type UnitOption } from '@/lib/dal/units/refs';
import type { OrgContext } from '@/lib/server/org-context';
import type { SearchPage } from '@/lib/dal/kpis/parent-search';
import { PEOPLE_PAGE_SIZE, type PeopleView } from '@/lib/domain/view-params/people';
import { pagePlace } from '@/lib/domain/view-params/query';
import { allWordsInSql } from '../search-pattern';

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

/** What the members' search looks in: the name and the email. */
const NAME_AND_EMAIL = sql`${users.name} || ' ' || ${users.email}`;

/** A page of the members list, and where it is among the members the search matches. */
export type MembersPage = {
  rows: MemberDto[];
  /** Members of the organization. */
  total: number;
  /** Members the search matches (everyone without one). */
  matched: number;
  page: number;
  pages: number;
  /** The index of the page's first row among the matched. */
  first: number;
};

/**
 * One page of the organization's members (owners, admins, then everyone else, by name), those
 * whose name or email holds every word of `view.q` (the explorer's search, in SQL), with their
 * home unit and the units they lead; a page past the last reads as the last. Only the page's
 * rows are read: a large organization has thousands of members. Visible to every member (the
 * page hides management controls by permission). Tenant-scoped by ctx.org.id.
 */
export async function listMembersPage(
  ctx: OrgContext,
  view: PeopleView,
  size = PEOPLE_PAGE_SIZE,
): Promise<MembersPage> {
  return withOrgTx(ctx.org.id, async (tx) => {
    const matching = allWordsInSql(NAME_AND_EMAIL, view.q);
    const [counts] = await tx
      .select({
        total: sql<number>`count(*)::int`,
        matched: sql<number>`(count(*) filter (where ${matching}))::int`,
      })
      .from(memberships)
      .innerJoin(users, eq(users.id, memberships.userId))
      .where(eq(memberships.orgId, ctx.org.id));
    const total = Number(counts?.total ?? 0);
    const matched = Number(counts?.matched ?? 0);
    const place = pagePlace(matched, view.page, size);
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
      .where(and(eq(memberships.orgId, ctx.org.id), matching))
      .orderBy(ROLE_ORDER, asc(users.name), asc(users.email), asc(memberships.userId))
      .limit(size)
      .offset(place.first);
    const led =
      rows.length === 0
        ? []
        : await tx
            .select({ id: units.id, name: units.name, leadUserId: units.leadUserId })
            .from(units)
            .where(
              and(
                eq(units.orgId, ctx.org.id),
                inArray(
                  units.leadUserId,
                  rows.map((r) => r.userId),
                ),
                isNull(units.archivedAt),
              ),
            )
            .orderBy(asc(units.name));
    const ledBy = new Map<string, { id: string; name: string }[]>();
    for (const unit of led) {
      if (!unit.leadUserId) continue;
      const list = ledBy.get(unit.leadUserId) ?? [];
      list.push({ id: unit.id, name: unit.name });
      ledBy.set(unit.leadUserId, list);
    }
    return {
      rows: rows.map((row) => ({
        ...row,
        joinedAt: new Date(row.joinedAt).toISOString(),
        ledUnits: ledBy.get(row.userId) ?? [],
      })),
      total,
      matched,
      ...place,
    };
  });
}

/** A member as a choice in a picker: the history's person filter, a schedule's recipients. */
export type MemberChoiceDto = { userId: string; name: string; email: string };

/**
 * One member's name and e-mail (what a picker shows for its current choice), or null for a user
 * who is not a member of this organization: one of another organization looks like a missing one.
 * Visible to every member. Tenant-scoped by ctx.org.id.
 */
export async function getMemberChoice(
  ctx: OrgContext,
  userId: string,
): Promise<MemberChoiceDto | null> {
  const [row] = await withOrgRead(ctx.org.id, (db) =>
    db
      .select({ userId: memberships.userId, name: users.name, email: users.email })
      .from(memberships)
      .innerJoin(users, eq(users.id, memberships.userId))
      .where(and(eq(memberships.orgId, ctx.org.id), eq(memberships.userId, userId))),
  );
  return row ?? null;
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
 * Members whose name or email holds every word of `query` (the People page's search; everyone for
 * an empty one), by name: the first `limit` with how many match, `exclude` (a user id) left out
 * of both. Who a commentary's next action can be given to, who ownership can be transferred to
 * (the owner excluded), whose changes the history shows and who receives a scheduled report
 * (search-as-you-type pickers; the email tells two people of one name apart). Visible to every
 * member, as the people page is. Tenant-scoped by ctx.org.id.
 */
export async function searchMemberNames(
  ctx: OrgContext,
  query: string,
  limit: number,
  exclude?: string,
): Promise<SearchPage<MemberChoiceDto>> {
  const matching = and(
    allWordsInSql(NAME_AND_EMAIL, query),
    exclude === undefined ? undefined : ne(memberships.userId, exclude),
  );
  return withOrgRead(ctx.org.id, async (db) => {
    const rows = await db
      .select({
        userId: memberships.userId,
        name: users.name,
        email: users.email,
        total: sql<number>`(count(*) over ())::int`,
      })
      .from(memberships)
      .innerJoin(users, eq(users.id, memberships.userId))
      .where(and(eq(memberships.orgId, ctx.org.id), matching))
      .orderBy(asc(users.name), asc(users.email), asc(memberships.userId))
      .limit(limit);
    return {
      total: Number(rows[0]?.total ?? 0),
      hits: rows.map(({ userId, name, email }) => ({ userId, name, email })),
    };
  });
}
