import { and, eq, sql, type SQL } from 'drizzle-orm';
import { execRows, type Tx } from '@/db/client';
import { memberships } from '@/db/schema';
import { scopeNeedsUnitTree, type AuthzScope } from '@/lib/authz/can';
import { conflictError } from '@/lib/errors';
import type { OrgContext } from '@/lib/server/org-context';

/**
 * Helpers shared by the cascade DAL (units, KPIs, targets, check-ins). Tenant-scoped by the org
 * id they are given; no authorization of their own.
 */

/** The statement reading the parent of every unit of one org (archived ones included). */
export function unitParentsSql(orgId: string): SQL {
  return sql`select id, parent_id from units where org_id = ${orgId}::uuid`;
}

/** Parent of every unit of one org (archived ones included), read in the caller's transaction. */
export async function loadUnitParentMap(
  tx: Tx,
  orgId: string,
): Promise<Map<string, string | null>> {
  const rows = await execRows<{ id: string; parent_id: string | null }>(tx, unitParentsSql(orgId));
  return new Map(rows.map((r) => [r.id, r.parent_id]));
}

/**
 * The authorization scope for a write: the actor with the unit tree as this transaction sees it
 * (after `lockOrgCascade`), so a lead's subtree is never judged on a tree that has since moved.
 * Owners, admins and people who lead nothing do not need the tree.
 */
export async function authzScopeInTx(ctx: OrgContext, tx: Tx): Promise<AuthzScope> {
  if (!scopeNeedsUnitTree(ctx.actor)) return ctx;
  return { actor: ctx.actor, unitParentOf: await loadUnitParentMap(tx, ctx.org.id) };
}

/** Home unit of a member of the org, or null when the person is not a member. */
export async function memberHomeUnit(
  tx: Tx,
  orgId: string,
  userId: string,
): Promise<string | null> {
  const [row] = await tx
    .select({ homeUnitId: memberships.homeUnitId })
    .from(memberships)
    .where(and(eq(memberships.orgId, orgId), eq(memberships.userId, userId)))
    .limit(1);
  return row?.homeUnitId ?? null;
}

/** Throws CONFLICT when the version the person saw is not the stored one. */
export function assertVersion(stored: number, seen: number): void {
  if (stored !== seen) throw conflictError();
}
