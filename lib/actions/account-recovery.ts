'use server';
// Forgotten passwords and e-mail verification: request a reset link, set a new password with it,
// send the verification link again. Public except the resend (signed in).
import { z } from 'zod';
import { getSessionClaims } from '@/lib/auth/session';
import {
  createEmailVerificationLink,
  createPasswordResetLink,
  RESET_LINK_MINUTES,
  resetPasswordWithLink,
} from '@/lib/dal/account-links';
import { getActiveUser } from '@/lib/dal/accounts';
import { consumeRateLimit, RateLimitedError } from '@/lib/dal/rate-limit';
import { AppError } from '@/lib/errors';
import { queueResetMail, queueVerifyMail } from '@/lib/mail/account-mail';
import { isMailConfigured } from '@/lib/mail/transport';
import { fail, ok, type Result } from '@/lib/result';
import { requestClientAddress } from '@/lib/server/client-address';
import { toResultError } from '@/lib/server/errors';
import { zodToAppError } from '@/lib/server/org-action';
import { addressKey } from '@/lib/security/client-address';
import { emailSchema } from '@/lib/validation/auth';
import { ACCOUNT_RATE_LIMITS } from '@/lib/auth/rate-limits';

const requestResetSchema = z.object({ email: emailSchema }).strict();

/**
 * Sends a reset link when the address has an account, and answers exactly the same when it has
 * none. Limited per client address (visible) and per address asked about (silent: the answer
 * must not differ).
 */
export async function requestPasswordResetAction(
  input: z.input<typeof requestResetSchema>,
): Promise<Result<{ minutes: number }>> {
  try {
    const parsed = requestResetSchema.safeParse(input);
    if (!parsed.success) throw zodToAppError(parsed.error);
    const address = addressKey(await requestClientAddress());
    await consumeRateLimit('reset-address', address, ACCOUNT_RATE_LIMITS.resetPerAddress);
    let mayMail = true;
    try {
      await consumeRateLimit('reset-email', parsed.data.email, ACCOUNT_RATE_LIMITS.resetPerEmail);
    } catch (error) {
      if (!(error instanceof RateLimitedError)) throw error;
      mayMail = false;
    }
    if (mayMail) {
      const link = await createPasswordResetLink(parsed.data.email);
      if (link) await queueResetMail(link.person, link.token, RESET_LINK_MINUTES);
    }
    return ok({ minutes: RESET_LINK_MINUTES });
  } catch (error) {
    return fail(toResultError(error));
  }
}

const resetSchema = z
  .object({ token: z.string().min(1).max(100), password: z.string().max(1024) })
  .strict();

/** Sets a new password through a reset link; every session of the account ends. */
export async function resetPasswordAction(
  input: z.input<typeof resetSchema>,
): Promise<Result<{ email: string }>> {
  try {
    const parsed = resetSchema.safeParse(input);
    if (!parsed.success) throw zodToAppError(parsed.error);
    return ok(await resetPasswordWithLink(parsed.data.token, parsed.data.password));
  } catch (error) {
    return fail(toResultError(error));
  }
}

/** Sends the signed-in person a new verification link (limited per person). */
export async function resendVerificationAction(): Promise<
  Result<{ email: string | null; mailed: boolean }>
> {
  try {
    const claims = await getSessionClaims();
    const me = claims ? await getActiveUser(claims) : null;
    if (!me) throw new AppError('UNAUTHENTICATED', 'Please sign in.');
    await consumeRateLimit('verify-resend', me.id, ACCOUNT_RATE_LIMITS.verifyResendPerPerson);
    const link = await createEmailVerificationLink(me.id);
    if (link) await queueVerifyMail(link.person, link.token);
    return ok({ email: link ? link.person.email : null, mailed: isMailConfigured() });
  } catch (error) {
    return fail(toResultError(error));
  }
}
