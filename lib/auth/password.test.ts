import { describe, expect, it } from 'vitest';
import { hashPassword, passwordProblem, verifyPassword } from './password';

describe('password policy', () => {
  it.each([
    ['', /at least 8/],
    ['short1!', /at least 8/],
    ['password', /too common/],
    ['Password1', /too common/],
    ['qwertyuiop', /too common/],
    ['iloveyou', /too common/],
    ['aaaaaaaaaaaa', /repeat|common/],
    ['x'.repeat(257), /at most 256/],
  ])('refuses %j', (password, message) => {
    expect(passwordProblem(password)).toMatch(message);
  });

  it('refuses the email address or its local part', () => {
    expect(passwordProblem('ada.lovelace@example.com', { email: 'Ada.Lovelace@example.com' })).toMatch(/email/);
    expect(passwordProblem('ada.lovelace', { email: 'ada.lovelace@example.com' })).toMatch(/email/);
  });

  it.each(['correct horse battery staple', 'Tr0ub4dor&3x', 'x'.repeat(7) + 'y', 'é'.repeat(4) + 'ñandú'])(
    'accepts %j',
    (password) => {
      expect(passwordProblem(password)).toBeNull();
    },
  );

  it('accepts 64 characters and more', () => {
    const long = 'a long passphrase that keeps going and going until it has 64+ chars!';
    expect(long.length).toBeGreaterThan(64);
    expect(passwordProblem(long)).toBeNull();
    expect(passwordProblem('z'.repeat(255) + 'q')).toBeNull();
  });

  it('counts characters, not UTF-16 units', () => {
    expect(passwordProblem('😀😀😀😀😀😀😀')).toMatch(/at least 8/);
    expect(passwordProblem('😀😀😀😀😀😀😀x')).toBeNull();
  });
});

describe('password hashing', () => {
  it('hashes with scrypt and a random salt, and verifies', async () => {
    const a = await hashPassword('correct horse battery staple');
    const b = await hashPassword('correct horse battery staple');
    expect(a).toMatch(/^scrypt\$32768\$8\$1\$[\w-]+\$[\w-]+$/);
    expect(a).not.toBe(b);
    expect(await verifyPassword('correct horse battery staple', a)).toBe(true);
    expect(await verifyPassword('correct horse battery stapler', a)).toBe(false);
  });

  it('rejects malformed stored hashes instead of throwing', async () => {
    expect(await verifyPassword('anything', '')).toBe(false);
    expect(await verifyPassword('anything', 'bcrypt$whatever')).toBe(false);
  });
});
