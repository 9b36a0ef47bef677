import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { decodeKey, openSecret, sealSecret } from './secret-box';

describe('secret box (AES-256-GCM)', () => {
  const key = randomBytes(32);

  it('round-trips, with a fresh IV each time (the same secret never looks the same)', () => {
    const a = sealSecret('client-secret-ä', key);
    const b = sealSecret('client-secret-ä', key);
    expect(a).not.toBe(b);
    expect(a.startsWith('v1.')).toBe(true);
    expect(a).not.toContain('client-secret');
    expect(openSecret(a, key)).toBe('client-secret-ä');
    expect(openSecret(b, key)).toBe('client-secret-ä');
  });

  it('refuses a wrong key and any altered byte', () => {
    const sealed = sealSecret('s3cret', key);
    expect(openSecret(sealed, randomBytes(32))).toBeNull();
    const parts = sealed.split('.');
    const body = Buffer.from(parts[3]!, 'base64url');
    body[0] = body[0]! ^ 1;
    expect(openSecret([...parts.slice(0, 3), body.toString('base64url')].join('.'), key)).toBeNull();
    expect(openSecret('v2.a.b.c', key)).toBeNull();
    expect(openSecret('garbage', key)).toBeNull();
  });

  it('decodes 32-byte keys from hex, base64 and base64url, and nothing else', () => {
    const raw = randomBytes(32);
    expect(decodeKey(raw.toString('hex'))?.equals(raw)).toBe(true);
    expect(decodeKey(raw.toString('base64'))?.equals(raw)).toBe(true);
    expect(decodeKey(raw.toString('base64url'))?.equals(raw)).toBe(true);
    expect(decodeKey('short')).toBeNull();
    expect(decodeKey(randomBytes(16).toString('hex'))).toBeNull();
    expect(decodeKey(randomBytes(31).toString('base64'))).toBeNull();
  });
});
