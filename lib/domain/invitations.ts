import { AppError } from '@/lib/errors';

/**
 * Invitation links: how long they live and why one cannot be used. Pure: the caller reads the
 * invitation (by its token hash) and asks here.
 */

/** Invitations are valid for this long after they are created (or re-sent). */
export const INVITATION_TTL_DAYS = 7;

/** The answer for a token that matches no invitation (also the last resort of a failed accept). */
export const INVALID_LINK =
  'This invitation link is not valid. Check that you copied all of it, or ask for a new invitation.';

/** What the rules need to know about an invitation; `expired` is decided by the database clock. */
export type InvitationState = {
  orgName: string;
  acceptedAt: Date | string | null;
  revokedAt: Date | string | null;
  expired: boolean;
};

/**
 * The clear, safe reason a link cannot be used, or null when it can: unknown is NOT_FOUND; used,
 * withdrawn (or replaced) and expired are CONFLICT, in that order, each saying what to do next.
 */
export function invitationProblem(row: InvitationState | undefined): AppError | null {
  if (!row) return new AppError('NOT_FOUND', INVALID_LINK);
  if (row.acceptedAt) {
    return new AppError('CONFLICT', `This invitation has already been used. Sign in to open ${row.orgName}.`);
  }
  if (row.revokedAt) {
    return new AppError(
      'CONFLICT',
      `This invitation was withdrawn or replaced by a newer one. Ask an admin of ${row.orgName} to send you a new link.`,
    );
  }
  if (row.expired) {
    return new AppError(
      'CONFLICT',
      `This invitation expired. Ask an admin of ${row.orgName} to send you a new link.`,
    );
  }
  return null;
}
