import { and, count, eq, isNotNull, isNull, or, lt, sql } from 'drizzle-orm';
import type { Executor } from '@/db/client';
import { userRecoveryCodes, userTotp } from '@/db/schema';
import { hashRecoveryCode, matchTotpStep, newRecoveryCodes, TOTP_CODE_PATTERN } from '@/lib/auth/totp';
import { openTotpSecret } from '@/lib/auth/totp-secret-key';

/*
 * A person's second factor (user_totp, user_recovery_codes: global tables, no tenant data): is it
 * on, and does a code prove it. Shared by the security page's actions (lib/dal/two-factor/enrol.ts)
 * and the sign-in (lib/dal/two-factor/sign-in.ts).
 */

/** How a second-factor code was proven. */
export type SecondFactorProof = 'totp' | 'recovery_code';

/** Whether the person has an enabled authenticator, and how many recovery codes are unused. */
export async function getSecondFactorState(
  db: Executor,
  userId: string,
): Promise<{ enabled: boolean; recoveryCodesLeft: number }> {
  const [factor] = await db
    .select({ userId: userTotp.userId })
    .from(userTotp)
    .where(and(eq(userTotp.userId, userId), isNotNull(userTotp.enabledAt)))
    .limit(1);
  if (!factor) return { enabled: false, recoveryCodesLeft: 0 };
  const [left] = await db
    .select({ n: count() })
    .from(userRecoveryCodes)
    .where(and(eq(userRecoveryCodes.userId, userId), isNull(userRecoveryCodes.usedAt)));
  return { enabled: true, recoveryCodesLeft: Number(left?.n ?? 0) };
}

/**
 * Uses a code against the person's enabled second factor: a 6-digit code of their authenticator
 * (valid one step either side of now, and of a later time step than the last one accepted, so a
 * code cannot be replayed), or an unused recovery code (used up by this call). Null when neither.
 * The conditional updates make two concurrent uses of one code succeed at most once.
 */
export async function consumeSecondFactor(
  db: Executor,
  userId: string,
  code: string,
  nowMs = Date.now(),
): Promise<SecondFactorProof | null> {
  const typed = code.trim();
  if (TOTP_CODE_PATTERN.test(typed)) {
    const [factor] = await db
      .select({ secret: userTotp.secretEncrypted })
      .from(userTotp)
      .where(and(eq(userTotp.userId, userId), isNotNull(userTotp.enabledAt)))
      .limit(1);
    if (!factor) return null;
    const step = matchTotpStep(openTotpSecret(factor.secret), typed, nowMs);
    if (step === null) return null;
    const [accepted] = await db
      .update(userTotp)
      .set({ lastStep: step })
      .where(
        and(
          eq(userTotp.userId, userId),
          isNotNull(userTotp.enabledAt),
          or(isNull(userTotp.lastStep), lt(userTotp.lastStep, step)),
        ),
      )
      .returning({ userId: userTotp.userId });
    return accepted ? 'totp' : null;
  }
  if (typed.length === 0 || typed.length > 40) return null;
  const [used] = await db
    .update(userRecoveryCodes)
    .set({ usedAt: sql`now()` })
    .where(
      and(
        eq(userRecoveryCodes.userId, userId),
        eq(userRecoveryCodes.codeHash, hashRecoveryCode(typed)),
        isNull(userRecoveryCodes.usedAt),
        sql`exists (select 1 from user_totp t where t.user_id = ${userId}::uuid
              and t.enabled_at is not null)`,
      ),
    )
    .returning({ id: userRecoveryCodes.id });
  return used ? 'recovery_code' : null;
}

/** Replaces the person's recovery codes with new ones; returns them (shown once). */
export async function replaceRecoveryCodes(db: Executor, userId: string): Promise<string[]> {
  const codes = newRecoveryCodes();
  await db.delete(userRecoveryCodes).where(eq(userRecoveryCodes.userId, userId));
  await db
    .insert(userRecoveryCodes)
    .values(codes.map((code) => ({ userId, codeHash: hashRecoveryCode(code) })));
  return codes;
}

/** Removes the person's second factor and recovery codes (disable, or an account taken over). */
export async function removeSecondFactor(db: Executor, userId: string): Promise<boolean> {
  await db.delete(userRecoveryCodes).where(eq(userRecoveryCodes.userId, userId));
  const removed = await db
    .delete(userTotp)
    .where(eq(userTotp.userId, userId))
    .returning({ enabledAt: userTotp.enabledAt });
  return removed.some((r) => r.enabledAt !== null);
}
