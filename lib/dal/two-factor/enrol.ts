import { and, eq, isNotNull, isNull, sql } from 'drizzle-orm';
import { getDb, type Tx } from '@/db/client';
import { users, userTotp } from '@/db/schema';
import { verifyPassword } from '@/lib/auth/password';
import { matchTotpStep, newTotpSecret, totpProvisioningUri } from '@/lib/auth/totp';
import { openTotpSecret, sealTotpSecret } from '@/lib/auth/totp-secret-key';
import { conflictError, validationError } from '@/lib/errors';
import type { OrgContext } from '@/lib/server/org-context';
import { appendAudit } from '../audit';
import {
  consumeSecondFactor,
  getSecondFactorState,
  removeSecondFactor,
  replaceRecoveryCodes,
} from './factor';

/*
 * The signed-in person's own second factor, from their security page inside an organization:
 * enrol (secret, then a first code), disable, new recovery codes. Every function acts on
 * ctx.actor only (nobody manages another person's factor) and audits in ctx.org, where the
 * person did it. Permission: none beyond membership (`org.read`).
 */

export const WRONG_CODE = 'That code is not right (or was already used). Try the next code your app shows.';

/** The actor's factor row in this state, locked for the rest of the transaction. */
async function lockMyFactor(ctx: OrgContext, tx: Tx, state: 'pending' | 'enabled') {
  const [row] = await tx
    .select({ secret: userTotp.secretEncrypted })
    .from(userTotp)
    .where(
      and(
        eq(userTotp.userId, ctx.actor.userId),
        state === 'pending' ? isNull(userTotp.enabledAt) : isNotNull(userTotp.enabledAt),
      ),
    )
    .for('update');
  return row ?? null;
}

/** The security page's view of the person's second factor. */
export async function getMySecondFactor(
  ctx: OrgContext,
): Promise<{ enabled: boolean; recoveryCodesLeft: number }> {
  return getSecondFactorState(await getDb(), ctx.actor.userId);
}

/**
 * Starts (or restarts) enrolment: a new secret, stored encrypted and not yet enabled, and the
 * otpauth URI to scan. CONFLICT when a factor is already enabled (disable it first).
 */
export async function startTotpEnrolment(
  ctx: OrgContext,
  tx: Tx,
): Promise<{ secret: string; uri: string }> {
  const secret = newTotpSecret();
  const [row] = await tx
    .insert(userTotp)
    .values({ userId: ctx.actor.userId, secretEncrypted: sealTotpSecret(secret) })
    .onConflictDoUpdate({
      target: userTotp.userId,
      set: { secretEncrypted: sealTotpSecret(secret), lastStep: null, createdAt: sql`now()` },
      setWhere: isNull(userTotp.enabledAt),
    })
    .returning({ userId: userTotp.userId });
  if (!row) throw conflictError('Two-factor sign-in is already on. Turn it off first to set up another app.');
  return { secret, uri: totpProvisioningUri(secret, ctx.user.email) };
}

/**
 * Finishes enrolment with the first code the app shows: the factor is enabled from now on and
 * ten recovery codes are made, returned once (only their hashes are kept). Audited
 * `account.totp_enable`.
 */
export async function confirmTotpEnrolment(
  ctx: OrgContext,
  tx: Tx,
  code: string,
  nowMs = Date.now(),
): Promise<{ recoveryCodes: string[] }> {
  const pending = await lockMyFactor(ctx, tx, 'pending');
  if (!pending) throw conflictError('Start again: set up the authenticator app first.');
  const step = matchTotpStep(openTotpSecret(pending.secret), code.trim(), nowMs);
  if (step === null) throw validationError(WRONG_CODE, { code: [WRONG_CODE] });
  await tx
    .update(userTotp)
    .set({ enabledAt: sql`now()`, lastStep: step })
    .where(eq(userTotp.userId, ctx.actor.userId));
  const recoveryCodes = await replaceRecoveryCodes(tx, ctx.actor.userId);
  await appendAudit(tx, {
    orgId: ctx.org.id,
    actorUserId: ctx.actor.userId,
    action: 'account.totp_enable',
    entityType: 'user',
    entityId: ctx.actor.userId,
    after: { recoveryCodes: recoveryCodes.length },
  });
  return { recoveryCodes };
}

/**
 * Checks the person's password for disabling (outside the transaction: scrypt is slow). True when
 * it is theirs; an empty password is simply false.
 */
export async function checkMyPassword(ctx: OrgContext, password: string | undefined): Promise<boolean> {
  if (!password) return false;
  const db = await getDb();
  const [me] = await db
    .select({ hash: users.passwordHash })
    .from(users)
    .where(eq(users.id, ctx.actor.userId))
    .limit(1);
  return Boolean(me && (await verifyPassword(password, me.hash)));
}

/**
 * Turns the second factor off, proven by the password (`passwordOk`, from checkMyPassword) or by
 * a current code or recovery code. Audited `account.totp_disable` with how it was proven.
 */
export async function disableTotp(
  ctx: OrgContext,
  tx: Tx,
  input: { code?: string; passwordOk: boolean },
): Promise<{ disabled: true }> {
  const enabled = await lockMyFactor(ctx, tx, 'enabled');
  if (!enabled) throw conflictError('Two-factor sign-in is already off.');
  const proof = input.passwordOk
    ? 'password'
    : input.code
      ? await consumeSecondFactor(tx, ctx.actor.userId, input.code)
      : null;
  if (!proof) {
    const message = 'Enter a current code from your app, a recovery code, or your password.';
    throw validationError(message, { code: [message] });
  }
  await removeSecondFactor(tx, ctx.actor.userId);
  await appendAudit(tx, {
    orgId: ctx.org.id,
    actorUserId: ctx.actor.userId,
    action: 'account.totp_disable',
    entityType: 'user',
    entityId: ctx.actor.userId,
    after: { provenBy: proof },
  });
  return { disabled: true };
}
