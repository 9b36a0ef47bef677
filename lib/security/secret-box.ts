import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/*
 * Secrets kept at rest (a second factor's shared secret): AES-256-GCM with a fresh 12-byte IV per
 * seal. The sealed form is `v1.<iv>.<tag>.<ciphertext>` (base64url), so a tampered or truncated
 * value, or one sealed under another key, fails to open instead of decrypting to garbage.
 */

const VERSION = 'v1';

/** Encrypts `plaintext` under a 32-byte key. */
export function sealSecret(plaintext: string, key: Buffer): string {
  if (key.length !== 32) throw new Error('secret-box keys are 32 bytes');
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  const parts = [iv, cipher.getAuthTag(), body].map((b) => b.toString('base64url'));
  return [VERSION, ...parts].join('.');
}

/** Decrypts what sealSecret made under the same key; throws on any tampering or another key. */
export function openSecret(sealed: string, key: Buffer): string {
  const [version, iv, tag, body, extra] = sealed.split('.');
  if (version !== VERSION || !iv || !tag || body === undefined || extra !== undefined) {
    throw new Error('not a sealed secret');
  }
  const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
  decipher.setAuthTag(Buffer.from(tag, 'base64url'));
  return Buffer.concat([
    decipher.update(Buffer.from(body, 'base64url')),
    decipher.final(),
  ]).toString('utf8');
}
