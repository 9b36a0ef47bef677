import { withOrgTx } from '@/db/client';
import type { OrgContext } from '@/lib/server/org-context';
import { endSessionsIfNoOrganizations } from '../sessions';
import { removeMember as removeMembership } from './membership-changes';

/**
 * Removes a member (see membership-changes.removeMember for the rules and permission) in its own
 * tenant transaction; once it has committed, a person left in no organization is signed out
 * everywhere.
 */
export async function removeMember(ctx: OrgContext, userId: string): Promise<void> {
  await withOrgTx(ctx.org.id, (tx) => removeMembership(ctx, tx, userId));
  await endSessionsIfNoOrganizations(userId);
}
