import { hkdfSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';

const AUTH_SECRET = 'unit-test-auth-secret-0123456789-abcdef';
process.env.AUTH_SECRET = AUTH_SECRET;
delete process.env.SSO_SECRET_KEY;
delete process.env.TOTP_SECRET_KEY;
delete process.env.INTEGRATIONS_SECRET_KEY;

const { secretKeyFor } = await import('./secret-key');

const hkdf = (material: string, salt: string, label: string) =>
  Buffer.from(hkdfSync('sha256', material, salt, label, 32));

describe('secret keys by purpose', () => {
  it('derives the keys earlier versions sealed with (stored secrets stay readable)', () => {
    expect(secretKeyFor('sso').equals(hkdf(AUTH_SECRET, '', 'cascade-kpi sso client secret v1'))).toBe(true);
    expect(secretKeyFor('totp').equals(hkdf(AUTH_SECRET, 'cascade-kpi', 'totp-secret-v1'))).toBe(true);
  });

  it('gives every purpose its own 32-byte key', () => {
    const keys = (['sso', 'totp', 'integrations'] as const).map((p) => secretKeyFor(p));
    for (const key of keys) expect(key).toHaveLength(32);
    expect(new Set(keys.map((k) => k.toString('hex'))).size).toBe(3);
  });
});
