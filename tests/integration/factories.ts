import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { getOwnerDb } from '@/db/client';
import { memberships, users } from '@/db/schema';
import type { SessionClaims } from '@/lib/auth/session';
import type { Role } from '@/lib/authz/permissions';
import { recordCheckinAction } from '@/lib/actions/checkins';
import { createKpiAction } from '@/lib/actions/kpis';
import { createAccountWithOrganization } from '@/lib/dal/accounts';
import { getMembershipBySlug, type OrgDto } from '@/lib/dal/memberships';
import { organizations, units } from '@/db/schema';
import { as, kpiInput, must } from './cascade-helpers';
import type { OrgLocale } from '@/lib/domain/org-settings';

/** A password that passes the policy; tests never need a different one. */
export const TEST_PASSWORD = 'a long enough test passphrase';

/**
 * The organizations `createTestOrg` made in this test file. Vitest gives every test file its own
 * module graph, so this set is the file's own, however many files share the database at once.
 */
const createdInThisFile = new Set<string>();

/** The ids of the organizations this test file created so far (a live view). */
export function orgsCreatedInThisFile(): ReadonlySet<string> {
  return createdInThisFile;
}

/**
 * Creates a fresh organization with its owner through the real sign-up path. Its KPI limits are
 * set out of the way (1000) unless `kpiLimits` is given: suites about other things create many
 * KPIs in one unit, and the limits have their own suite.
 */
export async function createTestOrg(
  opts: {
    fyStartMonth?: number;
    timeZone?: string;
    name?: string;
    kpiLimits?: { perUnit: number; perPerson: number };
    locale?: OrgLocale;
  } = {},
): Promise<{ org: OrgDto; owner: SessionClaims & { email: string }; rootUnitId: string }> {
  const suffix = randomUUID().slice(0, 8);
  const email = `owner-${suffix}@example.test`;
  const { user, orgSlug } = await createAccountWithOrganization({
    name: `Owner ${suffix}`,
    email,
    password: TEST_PASSWORD,
    orgName: opts.name ?? `Test Org ${suffix}`,
  });
  const db = await getOwnerDb();
  await db
    .update(organizations)
    .set({
      ...(opts.fyStartMonth !== undefined ? { fyStartMonth: opts.fyStartMonth } : {}),
      ...(opts.timeZone !== undefined ? { timeZone: opts.timeZone } : {}),
      ...(opts.locale !== undefined ? { locale: opts.locale } : {}),
      maxKpisPerUnit: opts.kpiLimits?.perUnit ?? 1000,
      maxKpisPerPerson: opts.kpiLimits?.perPerson ?? 1000,
    })
    .where(eq(organizations.slug, orgSlug));
  const owner = { userId: user.id, sessionVersion: user.sessionVersion, email };
  const found = await getMembershipBySlug(owner, orgSlug);
  if (!found) throw new Error('test org not found after sign-up');
  createdInThisFile.add(found.org.id);
  return { org: found.org, owner, rootUnitId: found.actor.homeUnitId };
}

/** Adds a new person to an organization with a role and a home unit. */
export async function addTestMember(
  orgId: string,
  opts: { role: Role; homeUnitId: string; name?: string },
): Promise<SessionClaims & { email: string }> {
  const db = await getOwnerDb();
  const suffix = randomUUID().slice(0, 8);
  const email = `member-${suffix}@example.test`;
  const [user] = await db
    .insert(users)
    .values({ email, name: opts.name ?? `Member ${suffix}`, passwordHash: 'scrypt$invalid' })
    .returning({ id: users.id, sessionVersion: users.sessionVersion });
  if (!user) throw new Error('user insert failed');
  await db
    .insert(memberships)
    .values({ orgId, userId: user.id, role: opts.role, homeUnitId: opts.homeUnitId });
  return { userId: user.id, sessionVersion: user.sessionVersion, email };
}

/** Makes a member the lead of a unit (test shortcut; the real path is the units action). */
export async function makeLead(orgId: string, unitId: string, userId: string): Promise<void> {
  const db = await getOwnerDb();
  const { and } = await import('drizzle-orm');
  await db
    .update(units)
    .set({ leadUserId: userId })
    .where(and(eq(units.orgId, orgId), eq(units.id, unitId)));
}

/**
 * Creates a KPI through the real action as `claims` (minimal valid fields, see kpiInput, with
 * `over` applied), failing the test if it is refused.
 */
export function createTestKpi(
  claims: SessionClaims,
  orgSlug: string,
  unitId: string,
  over: Record<string, unknown> = {},
) {
  return as(claims, async () => must(await createKpiAction(orgSlug, kpiInput(unitId, over))));
}

/** Records a check-in through the real action as `claims`, failing the test if it is refused. */
export function recordTestCheckin(
  claims: SessionClaims,
  orgSlug: string,
  kpiId: string,
  observedOn: string,
  value: string,
) {
  return as(claims, async () =>
    must(await recordCheckinAction(orgSlug, { kpiId, observedOn, value })),
  );
}
