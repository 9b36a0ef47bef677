import { openSecret, sealSecret } from '@/lib/security/secret-box';
import { secretKeyFor } from '@/lib/security/secret-key';

/**
 * The key that encrypts second-factor secrets at rest: TOTP_SECRET_KEY when set, else derived
 * from AUTH_SECRET (HKDF-SHA256). Set TOTP_SECRET_KEY to rotate AUTH_SECRET without losing every
 * enrolled authenticator (secrets sealed under another key cannot be opened).
 */
function totpKey(): Buffer {
  return secretKeyFor('totp');
}

export function sealTotpSecret(secretBase32: string): string {
  return sealSecret(secretBase32, totpKey());
}

/** The secret in the clear; throws when it was sealed under another key or altered. */
export function openTotpSecret(sealed: string): string {
  const plain = openSecret(sealed, totpKey());
  if (plain === null) throw new Error('a second-factor secret does not open with the current key');
  return plain;
}
