'use server';
// Public sign-up, and password change for the signed-in person.
import { z } from 'zod';
import { getSessionClaims } from '@/lib/auth/session';
import { changePassword, createAccountWithOrganization } from '@/lib/dal/accounts';
import { AppError } from '@/lib/errors';
import { fail, ok, type Result } from '@/lib/result';
import { toResultError } from '@/lib/server/errors';
import { zodToAppError } from '@/lib/server/org-action';
import { signUpSchema, type SignUpInput } from '@/lib/validation/auth';

/** Creates an account and its organization; the client then signs in with the same credentials. */
export async function signUpAction(input: SignUpInput): Promise<Result<{ orgSlug: string }>> {
  try {
    const parsed = signUpSchema.safeParse(input);
    if (!parsed.success) throw zodToAppError(parsed.error);
    const { orgSlug } = await createAccountWithOrganization(parsed.data);
    return ok({ orgSlug });
  } catch (error) {
    return fail(toResultError(error));
  }
}

const changePasswordSchema = z
  .object({ currentPassword: z.string().min(1).max(1024), newPassword: z.string().max(1024) })
  .strict();

/** Changes the signed-in person's password and signs out their other sessions. */
export async function changePasswordAction(
  input: z.input<typeof changePasswordSchema>,
): Promise<Result<{ sessionVersion: number }>> {
  try {
    const claims = await getSessionClaims();
    if (!claims) throw new AppError('UNAUTHENTICATED', 'Please sign in.');
    const parsed = changePasswordSchema.safeParse(input);
    if (!parsed.success) throw zodToAppError(parsed.error);
    const sessionVersion = await changePassword(
      claims.userId,
      parsed.data.currentPassword,
      parsed.data.newPassword,
    );
    return ok({ sessionVersion });
  } catch (error) {
    return fail(toResultError(error));
  }
}
