import { sql, type SQL } from 'drizzle-orm';
import { withPipelinedTx, type Pipeline } from '@/db/pipeline';
import type { Actor } from '@/lib/authz/can';
import type { Role } from '@/lib/authz/permissions';
import type { SessionClaims } from '@/lib/auth/session';
import { toOrgLocale, type OrgLocale } from '@/lib/domain/org-settings';
import { parseMinElapsed } from '@/lib/domain/progress';

/** The organization as every org-scoped request sees it. */
export type OrgDto = {
  id: string;
  slug: string;
  name: string;
  fyStartMonth: number;
  timeZone: string;
  greenThreshold: number;
  amberThreshold: number;
  /** Share of an open period before flows are graded (0 <= share < 1; default one third). */
  gradingMinElapsed: number;
  /** Guard rails: most active KPIs per unit and per person (organization settings). */
  maxKpisPerUnit: number;
  maxKpisPerPerson: number;
  /** Owners and admins must have a second factor before they may use the organization. */
  requireAdminTotp: boolean;
  /** How numbers, currencies, percents and dates are written and read (organization settings). */
  locale: OrgLocale;
};

function toOrgDto(row: {
  id: string;
  slug: string;
  name: string;
  fyStartMonth: number;
  timeZone: string;
  greenThreshold: string;
  amberThreshold: string;
  gradingMinElapsed: string;
  maxKpisPerUnit: number;
  maxKpisPerPerson: number;
  requireAdminTotp: boolean;
  locale: string;
}): OrgDto {
  return {
    ...row,
    locale: toOrgLocale(row.locale),
    greenThreshold: Number(row.greenThreshold),
    amberThreshold: Number(row.amberThreshold),
    gradingMinElapsed: parseMinElapsed(row.gradingMinElapsed),
  };
}

/** What a request inside an organization reads about it and the signed-in person. */
/**
 * The signed-in person as a page inside an organization knows them. `emailVerified`: false until
 * they follow their verification link (banner); `twoFactorEnabled`: they have an enabled
 * authenticator (user_totp); `singleSignOn`: this session was opened by the organization's
 * single sign-on (it opens that organization only).
 */
export type OrgUser = {
  name: string;
  email: string;
  emailVerified: boolean;
  twoFactorEnabled: boolean;
  singleSignOn: boolean;
  /** The organization is already the one the person last opened (no write needed to remember it). */
  lastOrgCurrent: boolean;
};

export type MembershipFound = {
  org: OrgDto;
  actor: Actor;
  user: OrgUser;
  /**
   * Parent of every unit when the person is a member who leads a unit (the subtree checks need
   * it); else empty: owners and admins act org-wide and never consult it (see lib/authz/can.ts).
   */
  unitParentOf: Map<string, string | null>;
};

type MembershipRow = {
  id: string;
  slug: string;
  name: string;
  fy_start_month: number;
  time_zone: string;
  green_threshold: string;
  amber_threshold: string;
  grading_min_elapsed: string;
  max_kpis_per_unit: number;
  max_kpis_per_person: number;
  require_admin_totp: boolean;
  locale: string;
  role: Role;
  user_name: string;
  user_email: string;
  email_verified: boolean;
  two_factor_enabled: boolean;
  single_sign_on: boolean;
  last_org_current: boolean;
  home_unit_id: string;
  led_unit_ids: unknown;
};

/**
 * The org with this slug and the signed-in person's membership in it (checking the session
 * version), plus the unit tree when they lead a unit: one pipelined transaction, one round trip
 * (every request in an organization starts here). Null when the org does not exist, the person
 * is not a member, the session is stale, or the session was opened by another organization's
 * single sign-on (it opens only that one): callers answer all of them the same way.
 */
export async function getMembershipBySlug(
  claims: SessionClaims,
  slug: string,
): Promise<MembershipFound | null> {
  return withPipelinedTx(async (p) => {
    const found = sendMembershipRead(p, claims, slug);
    p.commit();
    return found;
  });
}

/**
 * getMembershipBySlug's statements, sent on `p` (a pipelined transaction of the caller's, which
 * may send more after them: they set `app.org_id` to the org of the slug, or to '' when there is
 * none); resolves to what getMembershipBySlug returns.
 */
export function sendMembershipRead(
  p: Pipeline,
  claims: SessionClaims,
  slug: string,
): Promise<MembershipFound | null> {
  void p.query(sql`select set_config('app.org_id', coalesce((select id::text from organizations
        where slug = ${slug}), ''), true)`);
  const members = p.query<MembershipRow>(sql`select o.id, o.slug, o.name, o.fy_start_month,
        o.time_zone, o.green_threshold::text as green_threshold,
        o.amber_threshold::text as amber_threshold,
        o.grading_min_elapsed::text as grading_min_elapsed, o.max_kpis_per_unit, o.max_kpis_per_person,
        o.require_admin_totp, o.locale, m.role, u.name as user_name, u.email as user_email,
        u.email_verified_at is not null as email_verified,
        exists (select 1 from user_totp t where t.user_id = u.id and t.enabled_at is not null)
          as two_factor_enabled,
        exists (select 1 from user_sessions s where s.id = ${claims.sessionId ?? null}::uuid
                  and s.sso_org_id is not null) as single_sign_on,
        u.last_org_id is not distinct from o.id as last_org_current,
        m.home_unit_id,
        array(select l.id from units l where l.org_id = o.id and l.lead_user_id = m.user_id
                and l.archived_at is null) as led_unit_ids
      from organizations o
      join memberships m on m.org_id = o.id
      join users u on u.id = m.user_id
      where o.slug = ${slug} and m.user_id = ${claims.userId}::uuid
        and u.session_version = ${claims.sessionVersion}
        and (${claims.sessionId ?? null}::uuid is null or exists (select 1 from user_sessions s
              where s.id = ${claims.sessionId ?? null}::uuid and s.user_id = u.id
                and s.revoked_at is null and s.expires_at > now()
                and (s.sso_org_id is null or s.sso_org_id = o.id)))
      limit 1`);
  const tree = p.query<{ id: string; parent_id: string | null }>(sql`select t.id, t.parent_id
      from units t
      where t.org_id = nullif(current_setting('app.org_id', true), '')::uuid
        and exists (select 1 from memberships m where m.org_id = t.org_id
                      and m.user_id = ${claims.userId}::uuid and m.role = 'member')
        and exists (select 1 from units l where l.org_id = t.org_id
                      and l.lead_user_id = ${claims.userId}::uuid and l.archived_at is null)`);
  return Promise.all([members, tree]).then(([[row], parents]) => {
    if (!row) return null;
    return {
      org: toOrgDto({
        id: row.id,
        slug: row.slug,
        name: row.name,
        fyStartMonth: Number(row.fy_start_month),
        timeZone: row.time_zone,
        greenThreshold: row.green_threshold,
        amberThreshold: row.amber_threshold,
        gradingMinElapsed: row.grading_min_elapsed,
        maxKpisPerUnit: Number(row.max_kpis_per_unit),
        maxKpisPerPerson: Number(row.max_kpis_per_person),
        requireAdminTotp: Boolean(row.require_admin_totp),
        locale: row.locale,
      }),
      user: {
        name: row.user_name,
        email: row.user_email,
        emailVerified: Boolean(row.email_verified),
        twoFactorEnabled: Boolean(row.two_factor_enabled),
        singleSignOn: Boolean(row.single_sign_on),
        lastOrgCurrent: Boolean(row.last_org_current),
      },
      actor: {
        userId: claims.userId,
        role: row.role,
        homeUnitId: row.home_unit_id,
        ledUnitIds: normalizeUuidArray(row.led_unit_ids),
      },
      unitParentOf: new Map(parents.map((r) => [r.id, r.parent_id])),
    };
  });
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

export type MyOrganization = { slug: string; name: string; role: Role };

/**
 * The organizations a person belongs to, for the org switcher: only the organization of a session
 * opened by its single sign-on (`sessionId`: the browser session, if any), which opens no other.
 * Reads memberships under `app.user_id` (row-level security: set it in the same transaction).
 */
export function myOrganizationsQuery(userId: string, sessionId?: string): SQL {
  return sql`select o.slug, o.name, m.role
      from memberships m join organizations o on o.id = m.org_id
      where m.user_id = ${userId}::uuid
        and not exists (select 1 from user_sessions s where s.id = ${sessionId ?? null}::uuid
                          and s.sso_org_id is not null and s.sso_org_id <> m.org_id)
      order by o.name`;
}
