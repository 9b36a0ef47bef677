import { z } from 'zod';

/** Starting enrolment takes nothing. */
export const startTotpEnrolmentSchema = z.object({}).strict();

/** The first code of a new authenticator. */
export const confirmTotpEnrolmentSchema = z
  .object({ code: z.string().trim().regex(/^\d{6}$/, 'Enter the 6-digit code your app shows') })
  .strict();

/** Turning the second factor off: a current code, a recovery code, or the password. */
export const disableTotpSchema = z
  .object({
    code: z.string().trim().max(40, 'That is not a code').optional(),
    password: z.string().max(1024).optional(),
  })
  .strict()
  .refine((v) => Boolean(v.code) || Boolean(v.password), {
    message: 'Enter a code from your app, a recovery code, or your password.',
    path: ['code'],
  });

/** The organization setting: owners and admins must use a second factor. */
export const requireAdminTotpSchema = z.object({ requireAdminTotp: z.boolean() }).strict();
