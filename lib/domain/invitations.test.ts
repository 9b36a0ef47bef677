import { describe, expect, it } from 'vitest';
import { AppError } from '@/lib/errors';
import { INVALID_LINK, invitationProblem, type InvitationState } from './invitations';

const open: InvitationState = { orgName: 'Acme', acceptedAt: null, revokedAt: null, expired: false };
const at = '2026-01-02T03:04:05.000Z';

describe('invitationProblem', () => {
  it('lets an open, unexpired invitation through', () => {
    expect(invitationProblem(open)).toBeNull();
  });

  it('answers an unknown token with NOT_FOUND and the invalid-link message', () => {
    const problem = invitationProblem(undefined);
    expect(problem).toBeInstanceOf(AppError);
    expect(problem).toMatchObject({ code: 'NOT_FOUND', message: INVALID_LINK });
  });

  it('refuses a used, a withdrawn and an expired link with CONFLICT naming the organization', () => {
    expect(invitationProblem({ ...open, acceptedAt: at })).toMatchObject({
      code: 'CONFLICT',
      message: 'This invitation has already been used. Sign in to open Acme.',
    });
    expect(invitationProblem({ ...open, revokedAt: new Date(at) })).toMatchObject({
      code: 'CONFLICT',
      message:
        'This invitation was withdrawn or replaced by a newer one. Ask an admin of Acme to send you a new link.',
    });
    expect(invitationProblem({ ...open, expired: true })).toMatchObject({
      code: 'CONFLICT',
      message: 'This invitation expired. Ask an admin of Acme to send you a new link.',
    });
  });

  it('names the first problem when several hold: used, then withdrawn, then expired', () => {
    const all = { ...open, acceptedAt: at, revokedAt: at, expired: true };
    expect(invitationProblem(all)?.message).toMatch(/already been used/);
    expect(invitationProblem({ ...all, acceptedAt: null })?.message).toMatch(/withdrawn/);
  });
});
