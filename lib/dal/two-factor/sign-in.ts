import { getDb } from '@/db/client';
import { signInBackoffKeys } from '../accounts';
import { beginBackoffAttempt, settleBackoff } from '../rate-limit';
import { consumeSecondFactor, getSecondFactorState } from './factor';

/** Why a sign-in with the right password stops at the second factor. */
export class SecondFactorError extends Error {
  constructor(readonly reason: 'TotpRequired' | 'TotpInvalid') {
    super(reason);
    this.name = 'SecondFactorError';
  }
}

/**
 * The second step of a sign-in whose password was right: nothing for a person without a second
 * factor; else the code (authenticator or recovery code) must prove it, `TotpRequired` when none
 * was sent and `TotpInvalid` when it does not. Throttled like passwords: per (account, client
 * address) and per client address with growing delays (RATE_LIMITED), a success clearing the
 * account-and-address run.
 */
export async function checkSecondFactorAtSignIn(
  user: { id: string; email: string },
  code: string | undefined,
  address: string,
): Promise<void> {
  const db = await getDb();
  const state = await getSecondFactorState(db, user.id);
  if (!state.enabled) return;
  if (!code?.trim()) throw new SecondFactorError('TotpRequired');
  const keys = signInBackoffKeys(user.email, address, 'totp-account-address');
  await beginBackoffAttempt([keys.pair, keys.address]);
  if (!(await consumeSecondFactor(db, user.id, code))) throw new SecondFactorError('TotpInvalid');
  await settleBackoff([keys.pair], [keys.address]);
}
