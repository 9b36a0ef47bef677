import { and, eq, sql } from 'drizzle-orm';
import { withSlugOrgTx, withUserRead } from '@/db/client';
import { memberships, organizations, units, users } from '@/db/schema';
import type { Actor } from '@/lib/authz/can';
import type { Role } from '@/lib/authz/permissions';
import type { SessionClaims } from '@/lib/auth/session';

/** The organization as every org-scoped request sees it. */
export type OrgDto = {
  id: string;
  slug: string;
  name: string;
  fyStartMonth: number;
  timeZone: string;
  greenThreshold: number;
  amberThreshold: number;
  /** Guard rails: most active KPIs per unit and per person (organization settings). */
  maxKpisPerUnit: number;
  maxKpisPerPerson: number;
};

const orgColumns = {
  id: organizations.id,
  slug: organizations.slug,
  name: organizations.name,
  fyStartMonth: organizations.fyStartMonth,
  timeZone: organizations.timeZone,
  greenThreshold: organizations.greenThreshold,
  amberThreshold: organizations.amberThreshold,
  maxKpisPerUnit: organizations.maxKpisPerUnit,
  maxKpisPerPerson: organizations.maxKpisPerPerson,
};

function toOrgDto(row: {
  id: string;
  slug: string;
  name: string;
  fyStartMonth: number;
  timeZone: string;
  greenThreshold: string;
  amberThreshold: string;
  maxKpisPerUnit: number;
  maxKpisPerPerson: number;
}): OrgDto {
  return {
    ...row,
    greenThreshold: Number(row.greenThreshold),
    amberThreshold: Number(row.amberThreshold),
  };
}

/**
 * The org with this slug and the signed-in person's membership in it, in one query that also
 * checks the session version. Null when the org does not exist, the person is not a member, or
 * the session is stale: callers answer all three the same way.
 */
export async function getMembershipBySlug(
  claims: SessionClaims,
  slug: string,
): Promise<{ org: OrgDto; actor: Actor; user: { name: string; email: string } } | null> {
  const rows = await withSlugOrgTx(slug, (db) => db
    .select({
      ...orgColumns,
      role: memberships.role,
      userName: users.name,
      userEmail: users.email,
      homeUnitId: memberships.homeUnitId,
      ledUnitIds: sql<string[]>`array(select ${units.id} from ${units}
        where ${units.orgId} = ${organizations.id} and ${units.leadUserId} = ${memberships.userId}
        and ${units.archivedAt} is null)`,
    })
    .from(organizations)
    .innerJoin(memberships, eq(memberships.orgId, organizations.id))
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(
      and(
        eq(organizations.slug, slug),
        eq(memberships.userId, claims.userId),
        eq(users.sessionVersion, claims.sessionVersion),
      ),
    )
    .limit(1));
  const row = rows[0];
  if (!row) return null;
  const { role, homeUnitId, ledUnitIds, userName, userEmail, ...org } = row;
  return {
    org: toOrgDto(org),
    user: { name: userName, email: userEmail },
    actor: {
      userId: claims.userId,
      role: role as Role,
      homeUnitId,
      ledUnitIds: normalizeUuidArray(ledUnitIds),
    },
  };
}

/** postgres.js parses uuid[] into an array; PGlite may hand back the literal '{a,b}'. */
function normalizeUuidArray(value: unknown): string[] {
  if (Array.isArray(value)) return value.map(String);
  if (typeof value === 'string') {
    const inner = value.replace(/^\{|\}$/g, '');
    return inner ? inner.split(',') : [];
  }
  return [];
}

/** The organizations a person belongs to, for the org switcher and landing after sign-in. */
export async function listMyOrganizations(
  userId: string,
): Promise<{ slug: string; name: string; role: Role }[]> {
  return withUserRead(userId, (db) =>
    db
      .select({ slug: organizations.slug, name: organizations.name, role: memberships.role })
      .from(memberships)
      .innerJoin(organizations, eq(organizations.id, memberships.orgId))
      .where(eq(memberships.userId, userId))
      .orderBy(organizations.name),
  );
}
