import { cache } from 'react';
import { randomUUID } from 'node:crypto';
import { getSessionClaims } from '@/lib/auth/session';
import type { Actor, AuthzScope } from '@/lib/authz/can';
import { getActiveUser } from '@/lib/dal/accounts';
import { getMembershipBySlug, type OrgDto, type OrgUser } from '@/lib/dal/memberships';
import { AppError, notFoundError } from '@/lib/errors';
import { SLUG_MAX_LENGTH, SLUG_PATTERN } from '@/lib/validation/slug';

/** Everything a request inside an organization knows: the org, the actor, the unit tree. */
export type OrgContext = AuthzScope & {
  org: OrgDto;
  actor: Actor;
  user: OrgUser;
  requestId: string;
};

function isSlugShaped(slug: unknown): slug is string {
  return typeof slug === 'string' && slug.length <= SLUG_MAX_LENGTH && SLUG_PATTERN.test(slug);
}

/**
 * Resolves the org from the URL slug and the actor from the session, re-reading the membership
 * from the database on every request (so a removal or role change applies at once). A missing org
 * and an org the person does not belong to both give NOT_FOUND; an ended session UNAUTHENTICATED.
 */
export async function resolveOrgContext(orgSlug: string): Promise<OrgContext> {
  // A slug of no valid shape (a NUL, garbage, a broken escape) is a missing org, before any query.
  if (!isSlugShaped(orgSlug)) throw notFoundError();
  const claims = await getSessionClaims();
  if (!claims) throw new AppError('UNAUTHENTICATED', 'Please sign in.');
  const found = await getMembershipBySlug(claims, orgSlug);
  if (!found) {
    // Only on this rare path: a session that has ended (sign-out, sign out everywhere, password
    // change) is signed out, not "not found".
    if (!(await getActiveUser(claims))) throw new AppError('UNAUTHENTICATED', 'Please sign in.');
    throw notFoundError();
  }
  return {
    org: found.org,
    actor: found.actor,
    user: found.user,
    unitParentOf: found.unitParentOf,
    requestId: randomUUID(),
  };
}

/** Per-request memoized context for Server Components (layout and page share one lookup). */
export const getOrgContext = cache(resolveOrgContext);
