import { and, asc, count, eq, isNull, sql, type SQL } from 'drizzle-orm';
import { expect } from 'vitest';
import { getOwnerDb } from '@/db/client';
import {
  auditLog,
  checkins,
  kpiPeriodValues,
  kpis,
  kpiTargets,
  memberships,
  units,
  users,
} from '@/db/schema';
import { runWithSession, type SessionClaims } from '@/lib/auth/session';
import { normalizeDecimal } from '@/lib/domain/decimal';
import { describeDrift, verifyAllOrganizations } from '@/lib/dal/verify';
import type { Result } from '@/lib/result';
import { resolveOrgContext, type OrgContext } from '@/lib/server/org-context';

/** Runs an action (or anything) as a signed-in person. */
export function as<T>(claims: SessionClaims, fn: () => Promise<T>): Promise<T> {
  return runWithSession(claims, fn);
}

/** Unwraps a successful Result, failing the test with the error otherwise. */
export function must<T>(result: Result<T>): T {
  if (!result.ok) throw new Error(`expected ok, got ${result.error.code}: ${result.error.message}`);
  return result.data;
}

/** Runs actions as `claims`, unwrapping each Result (a refusal fails the test): setup steps. */
export function actAs(claims: SessionClaims) {
  return <T>(fn: () => Promise<Result<T>>): Promise<T> => as(claims, fn).then(must);
}

/** The error of a failed Result, failing the test when it succeeded. */
export function refused<T>(result: Result<T>) {
  if (result.ok) throw new Error(`expected a refusal, got ok: ${JSON.stringify(result.data)}`);
  return result.error;
}

/** The org context a person gets for an org (for calling the DAL directly, like the bench). */
export function contextFor(claims: SessionClaims, orgSlug: string): Promise<OrgContext> {
  return runWithSession(claims, () => resolveOrgContext(orgSlug));
}

/** The session claims of an org's owner (a seeded organization's, for acting as its owner). */
export async function ownerClaims(orgId: string): Promise<SessionClaims> {
  const db = await getOwnerDb();
  const [owner] = await db
    .select({ userId: users.id, sessionVersion: users.sessionVersion })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(and(eq(memberships.orgId, orgId), eq(memberships.role, 'owner')));
  if (!owner) throw new Error(`organization ${orgId} has no owner`);
  return owner;
}

/**
 * The first (by id) active hand-recorded KPI with a parent of an organization, meeting `also`: a
 * KPI whose check-in moves the rollups above it (seeded organizations, whose ids are random).
 */
export async function firstManualChildKpi(orgId: string, ...also: SQL[]): Promise<string> {
  const db = await getOwnerDb();
  const [row] = await db
    .select({ id: kpis.id })
    .from(kpis)
    .where(
      and(
        eq(kpis.orgId, orgId),
        eq(kpis.rollup, 'manual'),
        isNull(kpis.archivedOn),
        sql`${kpis.parentId} is not null`,
        ...also,
      ),
    )
    .orderBy(asc(kpis.id))
    .limit(1);
  if (!row) throw new Error(`organization ${orgId} has no hand-recorded KPI with a parent`);
  return row.id;
}

/** Stored period values of a KPI: period start -> normalized value. */
export async function valuesOf(orgId: string, kpiId: string): Promise<Record<string, string>> {
  const db = await getOwnerDb();
  const rows = await db
    .select({ start: kpiPeriodValues.periodStart, value: kpiPeriodValues.value })
    .from(kpiPeriodValues)
    .where(and(eq(kpiPeriodValues.orgId, orgId), eq(kpiPeriodValues.kpiId, kpiId)))
    .orderBy(asc(kpiPeriodValues.periodStart));
  return Object.fromEntries(rows.map((r) => [r.start, normalizeDecimal(r.value)]));
}

/** One stored period value row (or undefined). */
export async function periodRow(orgId: string, kpiId: string, start: string) {
  const db = await getOwnerDb();
  const [row] = await db
    .select()
    .from(kpiPeriodValues)
    .where(
      and(
        eq(kpiPeriodValues.orgId, orgId),
        eq(kpiPeriodValues.kpiId, kpiId),
        eq(kpiPeriodValues.periodStart, start),
      ),
    );
  return row && { ...row, value: normalizeDecimal(row.value) };
}

/**
 * Everything a refused write could have touched in one org: row counts and the full content of
 * the tables the cascade writes. Compare before and after a refusal.
 */
export async function snapshotOrg(orgId: string) {
  const db = await getOwnerDb();
  const count = async (
    table:
      | typeof units
      | typeof kpis
      | typeof checkins
      | typeof kpiTargets
      | typeof auditLog
      | typeof kpiPeriodValues,
  ) => {
    const [row] = await db
      .select({ n: sql<number>`count(*)::int` })
      .from(table)
      .where(eq(table.orgId, orgId));
    return row?.n ?? 0;
  };
  return {
    units: await count(units),
    kpis: await count(kpis),
    checkins: await count(checkins),
    targets: await count(kpiTargets),
    audit: await count(auditLog),
    periodValues: await count(kpiPeriodValues),
    kpiRows: await db.select().from(kpis).where(eq(kpis.orgId, orgId)).orderBy(asc(kpis.id)),
    unitRows: await db.select().from(units).where(eq(units.orgId, orgId)).orderBy(asc(units.id)),
    checkinRows: await db
      .select()
      .from(checkins)
      .where(eq(checkins.orgId, orgId))
      .orderBy(asc(checkins.id)),
    values: await db
      .select()
      .from(kpiPeriodValues)
      .where(eq(kpiPeriodValues.orgId, orgId))
      .orderBy(asc(kpiPeriodValues.kpiId), asc(kpiPeriodValues.periodStart)),
  };
}

/** Asserts that stored values of the org equal a from-scratch recomputation. */
export async function expectNoDrift(orgId: string): Promise<number> {
  const report = await verifyAllOrganizations({ orgIds: [orgId] });
  expect(report.organizations).toBe(1);
  expect(report.errors).toEqual([]);
  expect(report.drifts.map(describeDrift)).toEqual([]);
  return report.valuesChecked;
}

/** The base of a KPI for tests: a monthly count, more is better, summed over the month. */
export const countKpi = {
  measureUnit: 'count',
  direction: 'increase',
  cadence: 'month',
  timeAggregation: 'sum',
} as const;

/** Minimal valid KPI fields for createKpiAction. */
export function kpiInput(unitId: string, over: Record<string, unknown> = {}) {
  return {
    name: `KPI ${Math.random().toString(36).slice(2, 8)}`,
    unitId,
    ...countKpi,
    ...over,
  };
}

/** Current version of a KPI (tests read it like a form would). */
export async function kpiVersion(kpiId: string): Promise<number> {
  const db = await getOwnerDb();
  const [row] = await db.select({ version: kpis.version }).from(kpis).where(eq(kpis.id, kpiId));
  if (!row) throw new Error(`no kpi ${kpiId}`);
  return row.version;
}

/** How many check-ins an organization holds (to prove a refused write wrote nothing). */
export async function checkinCount(orgId: string): Promise<number> {
  const db = await getOwnerDb();
  const [row] = await db.select({ n: count() }).from(checkins).where(eq(checkins.orgId, orgId));
  return row?.n ?? 0;
}
