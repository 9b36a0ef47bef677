import { z } from 'zod';
import { passwordProblem, PASSWORD_MAX_LENGTH } from '@/lib/auth/password';
import { emailSchema } from './email';
import { orgNameString, personNameString } from './names';

export { emailSchema };

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
    password: z
      .string()
      .min(1)
      .max(PASSWORD_MAX_LENGTH * 4),
  })
  .strict();
