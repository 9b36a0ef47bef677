'use server';
// A signed-in person creates a further organization (they become its owner).
import { ACCOUNT_RATE_LIMITS } from '@/lib/auth/rate-limits';
import { getSessionClaims } from '@/lib/auth/session';
import { getActiveUser } from '@/lib/dal/accounts';
import { createOrganizationForUser } from '@/lib/dal/org-create';
import { consumeRateLimit } from '@/lib/dal/rate-limit';
import { refuseInSsoSession } from '@/lib/dal/sessions';
import { AppError } from '@/lib/errors';
import { fail, ok, type Result } from '@/lib/result';
import { addressKey } from '@/lib/security/client-address';
import { requestClientAddress } from '@/lib/server/client-address';
import { toResultError } from '@/lib/server/errors';
import { zodToAppError } from '@/lib/server/org-action';
import {
  createOrganizationSchema,
  type CreateOrganizationInput,
} from '@/lib/validation/org-settings';

/**
 * Creates an organization with the chosen name and slug for the signed-in person (an active
 * session: a signed-out or stale one is UNAUTHENTICATED), who becomes its owner. Limited like
 * sign-up's organization creation: `SIGN_UP_LIMIT_PER_HOUR` per client address (every attempt
 * counts). A taken slug is VALIDATION on `slug`, nothing written.
 */
export async function createOrganizationAction(
  input: CreateOrganizationInput,
): Promise<Result<{ orgSlug: string }>> {
  try {
    const claims = await getSessionClaims();
    const user = claims ? await getActiveUser(claims) : null;
    if (!user) throw new AppError('UNAUTHENTICATED', 'Please sign in.');
    await refuseInSsoSession(claims?.sessionId, 'create another organization');
    const address = addressKey(await requestClientAddress());
    await consumeRateLimit('org-create-address', address, ACCOUNT_RATE_LIMITS.signUpPerAddress);
    const parsed = createOrganizationSchema.safeParse(input);
    if (!parsed.success) throw zodToAppError(parsed.error);
    const org = await createOrganizationForUser(user.id, parsed.data);
    return ok({ orgSlug: org.slug });
  } catch (error) {
    return fail(toResultError(error));
  }
}
