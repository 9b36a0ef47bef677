'use server';
// Public: accept an invitation, authenticated by its token (and, for an existing account, by the session).
import type { z } from 'zod';
import { getSessionClaims } from '@/lib/auth/session';
import { getActiveUser } from '@/lib/dal/accounts';
import { refuseInSsoSession } from '@/lib/dal/sessions';
import { acceptInvitation } from '@/lib/dal/people/accept-invitation';
import { AppError } from '@/lib/errors';
import { fail, ok, type Result } from '@/lib/result';
import { toResultError } from '@/lib/server/errors';
import { zodToAppError } from '@/lib/server/org-action';
import { acceptInvitationNewUserSchema, acceptInvitationSchema } from '@/lib/validation/people';

type Accepted = { orgSlug: string; email: string };

/** Creates the invited person's account and membership; the client then signs in with it. */
export async function acceptInvitationAsNewUserAction(
  input: z.input<typeof acceptInvitationNewUserSchema>,
): Promise<Result<Accepted>> {
  try {
    const parsed = acceptInvitationNewUserSchema.safeParse(input);
    if (!parsed.success) throw zodToAppError(parsed.error);
    const { token, name, password } = parsed.data;
    const { orgSlug, email } = await acceptInvitation(token, { kind: 'new', name, password });
    return ok({ orgSlug, email });
  } catch (error) {
    return fail(toResultError(error));
  }
}

/** Joins with the signed-in account, whose email must be the invited one. */
export async function acceptInvitationAction(
  input: z.input<typeof acceptInvitationSchema>,
): Promise<Result<Accepted>> {
  try {
    const claims = await getSessionClaims();
    // A session signed out elsewhere (its row revoked) cannot accept, like every other action.
    if (!claims || !(await getActiveUser(claims)))
      throw new AppError('UNAUTHENTICATED', 'Sign in to accept this invitation.');
    await refuseInSsoSession(claims.sessionId, 'accept an invitation to another organization');
    const parsed = acceptInvitationSchema.safeParse(input);
    if (!parsed.success) throw zodToAppError(parsed.error);
    const { orgSlug, email } = await acceptInvitation(parsed.data.token, { kind: 'existing', claims });
    return ok({ orgSlug, email });
  } catch (error) {
    return fail(toResultError(error));
  }
}
