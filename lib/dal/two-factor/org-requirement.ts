import type { Tx } from '@/db/client';
import { organizations } from '@/db/schema';
import { validationError } from '@/lib/errors';
import type { OrgContext } from '@/lib/server/org-context';
import { updateOrgSettings } from '../org-settings';

/**
 * Sets "require two-factor sign-in for admins" for ctx.org. Turning it on needs the actor's own
 * second factor first (an admin could otherwise lock themselves out of the page they are on).
 * Permission: `settings.manage` (owners and admins). Audited `settings.require_admin_totp`.
 */
export async function setRequireAdminTotp(
  ctx: OrgContext,
  tx: Tx,
  requireAdminTotp: boolean,
): Promise<{ requireAdminTotp: boolean }> {
  if (requireAdminTotp && !ctx.user.twoFactorEnabled) {
    const message = 'Set up two-factor sign-in for yourself first (your security page).';
    throw validationError(message, { requireAdminTotp: [message] });
  }
  return updateOrgSettings(
    ctx,
    tx,
    'settings.require_admin_totp',
    { requireAdminTotp: organizations.requireAdminTotp },
    { requireAdminTotp },
  );
}
