'use server';
// Public sign-up; password change and sign out everywhere for the signed-in person.
import { z } from 'zod';
import { getSessionClaims } from '@/lib/auth/session';
import { changePassword, createAccountWithOrganization, findAccountByEmail } from '@/lib/dal/accounts';
import { endAllSessions } from '@/lib/dal/sessions';
import { ACCOUNT_RATE_LIMITS } from '@/lib/auth/rate-limits';
import { createEmailVerificationLink } from '@/lib/dal/account-links';
import { consumeRateLimit } from '@/lib/dal/rate-limit';
import { AppError, validationError } from '@/lib/errors';
import { queueSignUpAttemptMail, queueVerifyMail } from '@/lib/mail/account-mail';
import { addressKey } from '@/lib/security/client-address';
import { requestClientAddress } from '@/lib/server/client-address';
import { fail, ok, type Result } from '@/lib/result';
import { toResultError } from '@/lib/server/errors';
import { zodToAppError } from '@/lib/server/org-action';
import { signUpSchema, type SignUpInput } from '@/lib/validation/auth';

/** Shown for a sign-up with an address that has an account (the owner is told by e-mail). */
const EMAIL_TAKEN =
  'An account with this email already exists. Sign in, or reset your password if you forgot it.';

/**
 * Creates an account and its organization and mails a verification link; the client then signs in
 * with the same credentials. Limited per client address (every attempt counts, so addresses
 * cannot be tested in bulk). A taken address creates nothing: the answer offers sign-in and reset,
 * and the account's owner gets an e-mail saying someone tried.
 */
export async function signUpAction(input: SignUpInput): Promise<Result<{ orgSlug: string }>> {
  try {
    const address = addressKey(await requestClientAddress());
    await consumeRateLimit('sign-up-address', address, ACCOUNT_RATE_LIMITS.signUpPerAddress);
    const parsed = signUpSchema.safeParse(input);
    if (!parsed.success) throw zodToAppError(parsed.error);
    const owner = await findAccountByEmail(parsed.data.email);
    if (owner) {
      await queueSignUpAttemptMail(owner);
      throw validationError(EMAIL_TAKEN, { email: [EMAIL_TAKEN] });
    }
    const created = await createAccountWithOrganization(parsed.data);
    const link = await createEmailVerificationLink(created.user.id);
    if (link) await queueVerifyMail(link.person, link.token);
    return ok({ orgSlug: created.orgSlug });
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

/** Ends every session of the signed-in person, this one included ("sign out everywhere"). */
export async function signOutEverywhereAction(): Promise<Result<{ signedOut: true }>> {
  try {
    const claims = await getSessionClaims();
    if (!claims) throw new AppError('UNAUTHENTICATED', 'Please sign in.');
    await endAllSessions(claims.userId);
    return ok({ signedOut: true });
  } catch (error) {
    return fail(toResultError(error));
  }
}
