import { z } from 'zod';
import { PASSWORD_MAX_LENGTH } from '@/lib/auth/password';
import { emailSchema } from './email';
import { personNameString } from './names';

/** Roles an invitation or a role change can give. Ownership moves only by transfer. */
export const ASSIGNABLE_ROLES = ['admin', 'member'] as const;
export type AssignableRole = (typeof ASSIGNABLE_ROLES)[number];

const roleSchema = z.enum(ASSIGNABLE_ROLES, { message: 'Choose Admin or Member.' });
const personIdSchema = z.uuid({ message: 'Choose a person.' });
const unitIdSchema = z.uuid({ message: 'Choose a unit.' });

/** Invitation tokens are 32 random bytes, base64url without padding (43 characters). */
export const INVITATION_TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;
export const invitationTokenSchema = z
  .string()
  .regex(INVITATION_TOKEN_PATTERN, 'This invitation link is not valid. Check that you copied all of it.');

export const inviteMemberSchema = z
  .object({ email: emailSchema, role: roleSchema, homeUnitId: unitIdSchema })
  .strict();
export type InviteMemberInput = z.input<typeof inviteMemberSchema>;

export const revokeInvitationSchema = z
  .object({ invitationId: z.uuid({ message: 'Choose an invitation.' }) })
  .strict();

export const changeMemberRoleSchema = z.object({ userId: personIdSchema, role: roleSchema }).strict();

export const changeHomeUnitSchema = z
  .object({ userId: personIdSchema, homeUnitId: unitIdSchema })
  .strict();

export const removeMemberSchema = z.object({ userId: personIdSchema }).strict();

export const transferOwnershipSchema = z.object({ userId: personIdSchema }).strict();

/**
 * Accepting as a new person: the email comes from the invitation, so the password policy
 * (passwordProblem, which also refuses the email itself) is checked once that is known.
 */
export const acceptInvitationNewUserSchema = z
  .object({
    token: invitationTokenSchema,
    name: personNameString,
    password: z.string().max(PASSWORD_MAX_LENGTH * 4, 'That password is too long.'),
  })
  .strict();
export type AcceptInvitationNewUserInput = z.input<typeof acceptInvitationNewUserSchema>;

/** Accepting with the account one is signed in as. */
export const acceptInvitationSchema = z.object({ token: invitationTokenSchema }).strict();
