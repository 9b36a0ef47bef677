import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/*
 * Secrets at rest (an organization's SSO client secret): AES-256-GCM with a fresh 12-byte IV per
 * value, stored as `v1.<iv>.<tag>.<ciphertext>` (base64url). A wrong key or a changed byte fails
 * the tag check: decryption then returns null, never garbage.
 */

const VERSION = 'v1';

/** A 32-byte key from 64 hex characters or base64 / base64url; null when it is not one. */
export function decodeKey(text: string): Buffer | null {
  const value = text.trim();
  if (/^[0-9a-f]{64}$/i.test(value)) return Buffer.from(value, 'hex');
  if (!/^[A-Za-z0-9+/_-]{43}=?$/.test(value)) return null;
  const bytes = Buffer.from(value, value.includes('-') || value.includes('_') ? 'base64url' : 'base64');
  return bytes.length === 32 ? bytes : null;
}

/** Encrypts `plain` under a 32-byte key. */
export function sealSecret(plain: string, key: Buffer): string {
  if (key.length !== 32) throw new Error('the key must be 32 bytes');
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
  const tag = cipher.getAuthTag();
  return [VERSION, iv, tag, body].map((p) => (typeof p === 'string' ? p : p.toString('base64url'))).join('.');
}

/** The plain text of a sealed value, or null when the key is wrong or the value was altered. */
export function openSecret(sealed: string, key: Buffer): string | null {
  const parts = sealed.split('.');
  if (parts.length !== 4 || parts[0] !== VERSION || key.length !== 32) return null;
  const [iv, tag, body] = parts.slice(1).map((p) => Buffer.from(p, 'base64url'));
  if (iv!.length !== 12 || tag!.length !== 16) return null;
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, iv!);
    decipher.setAuthTag(tag!);
    return Buffer.concat([decipher.update(body!), decipher.final()]).toString('utf8');
  } catch {
    return null;
  }
}
