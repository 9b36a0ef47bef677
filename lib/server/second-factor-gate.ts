import { roleHolds } from '@/lib/authz/can';
import { forbiddenError } from '@/lib/errors';
import type { OrgContext } from './org-context';

/*
 * The organization setting "require two-factor sign-in for admins": an owner or admin without an
 * enabled authenticator may open only their security page (to enrol) until they have one. Pages
 * (requireOrgPage), server actions (orgAction) and the org's GET routes all apply it.
 */

export const SECOND_FACTOR_REQUIRED =
  'This organization requires two-factor sign-in for admins. Set it up on your security page first.';

/** Must this person enrol a second factor before using the organization? */
export function mustEnrolSecondFactor(ctx: OrgContext): boolean {
  return (
    ctx.org.requireAdminTotp &&
    roleHolds(ctx.actor.role, 'settings.manage') &&
    !ctx.user.twoFactorEnabled
  );
}

/** FORBIDDEN for an admin the organization requires a second factor of, who has none yet. */
export function assertSecondFactorReady(ctx: OrgContext): void {
  if (mustEnrolSecondFactor(ctx)) throw forbiddenError(SECOND_FACTOR_REQUIRED);
}

/** Where such a person is sent. */
export function securityPagePath(orgSlug: string): string {
  return `/o/${orgSlug}/account/security`;
}
