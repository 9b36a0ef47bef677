'use server';
// Members and invitations of one organization: invite, revoke, change role or home unit, remove, transfer ownership.
import { createInvitation, revokeInvitation } from '@/lib/dal/people/invitations';
import {
  changeHomeUnit,
  changeMemberRole,
  transferOwnership,
} from '@/lib/dal/people/membership-changes';
import { removeMember } from '@/lib/dal/people/remove-member';
import { ACCOUNT_RATE_LIMITS } from '@/lib/auth/rate-limits';
import { consumeRateLimit } from '@/lib/dal/rate-limit';
import { queueInvitationEmail } from '@/lib/mail/send-invitation';
import { orgAction } from '@/lib/server/org-action';
import {
  changeHomeUnitSchema,
  changeMemberRoleSchema,
  inviteMemberSchema,
  removeMemberSchema,
  revokeInvitationSchema,
  transferOwnershipSchema,
} from '@/lib/validation/people';

export const inviteMemberAction = orgAction({
  permission: 'members.manage',
  input: inviteMemberSchema,
  // Before the transaction: at most so many invitations per organization an hour.
  load: ({ ctx }) =>
    consumeRateLimit('invitations-org', ctx.org.id, ACCOUNT_RATE_LIMITS.invitationsPerOrganization),
  run: async ({ ctx, input, tx }) => {
    const created = await createInvitation(ctx, tx, input);
    const acceptPath = `/invite/${created.token}`;
    const emailQueued = await queueInvitationEmail({
      to: created.email,
      orgName: ctx.org.name,
      inviterName: ctx.user.name,
      role: created.role,
      acceptPath,
      expiresAt: created.expiresAt,
    });
    return { invitationId: created.id, email: created.email, expiresAt: created.expiresAt, acceptPath, emailQueued };
  },
});

export const revokeInvitationAction = orgAction({
  permission: 'members.manage',
  input: revokeInvitationSchema,
  run: async ({ ctx, input, tx }) => {
    await revokeInvitation(ctx, tx, input.invitationId);
    return { invitationId: input.invitationId };
  },
});

export const changeMemberRoleAction = orgAction({
  permission: 'members.manage',
  input: changeMemberRoleSchema,
  run: ({ ctx, input, tx }) => changeMemberRole(ctx, tx, input),
});

export const changeHomeUnitAction = orgAction({
  permission: 'units.manage',
  input: changeHomeUnitSchema,
  run: ({ ctx, input, tx }) => changeHomeUnit(ctx, tx, input),
});

export const removeMemberAction = orgAction({
  permission: 'members.manage',
  input: removeMemberSchema,
  runOwnTransaction: async ({ ctx, input }) => {
    await removeMember(ctx, input.userId);
    return { userId: input.userId };
  },
});

export const transferOwnershipAction = orgAction({
  permission: 'org.transfer',
  input: transferOwnershipSchema,
  run: async ({ ctx, input, tx }) => {
    await transferOwnership(ctx, tx, input.userId);
    return { ownerUserId: input.userId };
  },
});
