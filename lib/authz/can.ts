import { forbiddenError, notFoundError } from '@/lib/errors';
import { isInSubtree } from '@/lib/domain/tree';
import { LEAD_SUBTREE_PERMISSIONS, ROLE_PERMISSIONS, type Permission, type Role } from './permissions';

/** Who is acting, as resolved from the session and the database (never from the client). */
export type Actor = {
  userId: string;
  role: Role;
  homeUnitId: string;
  /** Units this person leads; they manage each one's subtree. */
  ledUnitIds: readonly string[];
};

/** What authorization needs to know about the organization: its unit tree. */
export type AuthzScope = {
  actor: Actor;
  unitParentOf: ReadonlyMap<string, string | null>;
};

/** The object an action touches. Fields that do not apply are left out. */
export type AuthzTarget = {
  /** Owning unit of the KPI (or the unit acted on). */
  unitId?: string;
  /** Current owner of the KPI. */
  ownerUserId?: string | null;
  /** Home unit of the KPI's owner (for individual KPI visibility). */
  ownerHomeUnitId?: string | null;
  isIndividual?: boolean;
  /** Home unit of the person a KPI is being assigned to. */
  assigneeHomeUnitId?: string | null;
  /** Role of the member being managed. */
  memberRole?: Role;
};

/** Owners and admins see every KPI, individual ones included, and the org-wide overview. */
function seesAllKpis(role: Role): boolean {
  return ROLE_PERMISSIONS[role].has('kpis.read_all');
}

/**
 * Whether any decision about this actor depends on the unit tree: only for someone who leads
 * units without an org-wide role. Everyone else can be authorized without reading the tree.
 */
export function scopeNeedsUnitTree(actor: Actor): boolean {
  return !seesAllKpis(actor.role) && actor.ledUnitIds.length > 0;
}

/** True when `unitId` lies in the subtree of a unit the actor leads. */
export function leadsUnit(scope: AuthzScope, unitId: string | null | undefined): boolean {
  if (!unitId) return false;
  return scope.actor.ledUnitIds.some((led) => isInSubtree(unitId, led, scope.unitParentOf));
}

/**
 * The permission table of DESIGN section 2. Owners and admins act org-wide (admins never on the
 * owner); leads act inside their subtree; members record values on KPIs they own and see their
 * own individual KPIs. A KPI's history (`history.read`) is for admins, its owner and the leads
 * of its unit's subtree; the whole organization's (`history.read_all`) for admins only.
 */
export function can(scope: AuthzScope, permission: Permission, target: AuthzTarget = {}): boolean {
  const { actor } = scope;
  if (permission === 'kpis.read') {
    if (!target.isIndividual || seesAllKpis(actor.role)) return true;
    if (target.ownerUserId === actor.userId) return true;
    return leadsUnit(scope, target.ownerHomeUnitId);
  }
  if (permission === 'history.read' && !ROLE_PERMISSIONS[actor.role].has(permission)) {
    // A KPI's history: its owner, and leads of its unit's subtree, of a KPI they may see.
    if (!can(scope, 'kpis.read', target)) return false;
    const owns = !!target.ownerUserId && target.ownerUserId === actor.userId;
    return owns || leadsUnit(scope, target.unitId);
  }
  if (permission === 'members.manage' && target.memberRole === 'owner' && actor.role !== 'owner') {
    return false;
  }
  if (ROLE_PERMISSIONS[actor.role].has(permission)) return true;
  if (permission === 'checkins.write' && target.ownerUserId && target.ownerUserId === actor.userId) {
    return true;
  }
  // Reminding someone about a KPI: a lead of the KPI's unit or of its owner's home unit.
  if (permission === 'checkins.remind') {
    return leadsUnit(scope, target.unitId) || leadsUnit(scope, target.ownerHomeUnitId);
  }
  if (!LEAD_SUBTREE_PERMISSIONS.has(permission) || !leadsUnit(scope, target.unitId)) return false;
  if (permission === 'kpis.assign_owner' && target.assigneeHomeUnitId !== undefined) {
    return leadsUnit(scope, target.assigneeHomeUnitId);
  }
  return true;
}

/**
 * Server-side check: throws FORBIDDEN when the actor may not act. For reads of something the actor
 * may not see, pass `hide: true` so the answer is NOT_FOUND, the same as for a missing id.
 */
export function assertCan(
  scope: AuthzScope,
  permission: Permission,
  target: AuthzTarget = {},
  options: { hide?: boolean } = {},
): void {
  if (can(scope, permission, target)) return;
  throw options.hide ? notFoundError() : forbiddenError();
}

/**
 * Does a role hold this permission across the whole organization (the lead's subtree rule aside)?
 * For checks about someone other than the actor, such as a share link's creator.
 */
export function roleHolds(role: Role, permission: Permission): boolean {
  return ROLE_PERMISSIONS[role].has(permission);
}
