import { z } from 'zod';
import { passwordProblem, PASSWORD_MAX_LENGTH } from '@/lib/auth/password';
import { safeName } from './text';

export const emailSchema = z
  .string()
  .trim()
  .toLowerCase()
  .pipe(z.email('Enter a valid email address.').max(254, 'That email address is too long.'));

/** A person's name (sign-up, accepting an invitation): under the text rule, with a letter or digit. */
export const personNameString = safeName('name', {
  max: 100,
  empty: 'Enter your name.',
  tooLong: 'Use at most 100 characters.',
});

/** An organization's name (sign-up, a second organization, settings). */
export const orgNameString = safeName('organization name', {
  min: 2,
  max: 100,
  empty: 'Enter your organization name.',
  tooLong: 'Use at most 100 characters.',
});

/** Sign-up form: the person and their organization. */
export const signUpSchema = z
  .object({
    name: personNameString,
    email: emailSchema,
    password: z.string().max(PASSWORD_MAX_LENGTH * 4, 'That password is too long.'),
    orgName: orgNameString,
  })
  .strict()
  .superRefine((value, ctx) => {
    const problem = passwordProblem(value.password, { email: value.email });
    if (problem) ctx.addIssue({ code: 'custom', path: ['password'], message: problem });
  });

export type SignUpInput = z.input<typeof signUpSchema>;

export const signInSchema = z
  .object({
    email: emailSchema,
    password: z.string().min(1).max(PASSWORD_MAX_LENGTH * 4),
  })
  .strict();
