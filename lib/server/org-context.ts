import { cache } from 'react';
import { randomUUID } from 'node:crypto';
import { getSessionClaims, type SessionClaims } from '@/lib/auth/session';
import type { Actor, AuthzScope } from '@/lib/authz/can';
import { getActiveUser } from '@/lib/dal/accounts';
import {
  getMembershipBySlug,
  type MembershipFound,
  type OrgDto,
  type OrgUser,
} from '@/lib/dal/memberships';
import { readOrgPageFrame, type OrgPageFrame } from '@/lib/dal/org-page-frame';
import { rememberOrgDataVersion } from '@/lib/dal/read-cache';
import { AppError, notFoundError } from '@/lib/errors';
import { frameDigest } from './page-cache';
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

/** The session's claims for a request in the organization of `orgSlug`, or the error to end with. */
async function claimsFor(orgSlug: string): Promise<SessionClaims> {
  // A slug of no valid shape (a NUL, garbage, a broken escape) is a missing org, before any query.
  if (!isSlugShaped(orgSlug)) throw notFoundError();
  const claims = await getSessionClaims();
  if (!claims) throw new AppError('UNAUTHENTICATED', 'Please sign in.');
  return claims;
}

/** The context of a membership read, or the error the request must end with. */
async function contextOf(
  claims: SessionClaims,
  found: MembershipFound | null,
): Promise<OrgContext> {
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

/**
 * Resolves the org from the URL slug and the actor from the session, re-reading the membership
 * from the database on every request (so a removal or role change applies at once). A missing org
 * and an org the person does not belong to both give NOT_FOUND; an ended session UNAUTHENTICATED.
 */
export async function resolveOrgContext(orgSlug: string): Promise<OrgContext> {
  const claims = await claimsFor(orgSlug);
  return contextOf(claims, await getMembershipBySlug(claims, orgSlug));
}

/**
 * A page's start, once per request (React's request cache: the layout and the page share it):
 * resolveOrgContext's context, read with the layout's switcher and bell and the org's data
 * version in one round trip (readOrgPageFrame). The data version is kept for the request's
 * dashboard reads (read-cache.ts).
 */
const getOrgPageFrame = cache(
  async (
    orgSlug: string,
  ): Promise<{
    ctx: OrgContext;
    chrome: OrgPageFrame['chrome'];
    digest: () => string;
  }> => {
    const claims = await claimsFor(orgSlug);
    const frame = await readOrgPageFrame(claims, orgSlug);
    const ctx = await contextOf(claims, frame.found);
    rememberOrgDataVersion(ctx.org.id, frame.dataVersion);
    return { ctx, chrome: frame.chrome, digest: () => frameDigest(claims, frame) };
  },
);

/** The org context of a page (see getOrgPageFrame): layout and page share one lookup. */
export async function getOrgContext(orgSlug: string): Promise<OrgContext> {
  return (await getOrgPageFrame(orgSlug)).ctx;
}

/**
 * The digest of the frame this page is rendered from (page-cache.ts: the page carries it, so the
 * proxy files the rendered page under the frame it was drawn from).
 */
export async function getOrgPageDigest(orgSlug: string): Promise<string> {
  return (await getOrgPageFrame(orgSlug)).digest();
}

/**
 * What the org layout shows around every page besides the context: the switcher's organizations
 * and the bell's unread count (read with the context; the same errors).
 */
export async function getOrgPageChrome(orgSlug: string): Promise<OrgPageFrame['chrome']> {
  return (await getOrgPageFrame(orgSlug)).chrome;
}
