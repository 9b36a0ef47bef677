import { describe, expect, it } from 'vitest';
import { parseEnv } from './env';

describe('env validation', () => {
  it('needs nothing in development', () => {
    const env = parseEnv({ NODE_ENV: 'development' });
    expect(env.DATABASE_URL).toBeUndefined();
    expect(env.PGLITE_DIR).toBe('.data/pglite');
    expect(env.SESSION_MAX_AGE_SECONDS).toBe(43_200);
  });

  it('treats blank values as unset', () => {
    expect(parseEnv({ NODE_ENV: 'development', DATABASE_URL: '' }).DATABASE_URL).toBeUndefined();
  });

  it('requires a strong AUTH_SECRET in production', () => {
    expect(() => parseEnv({ NODE_ENV: 'production' })).toThrow(/AUTH_SECRET is required/);
    expect(() => parseEnv({ NODE_ENV: 'production', AUTH_SECRET: 'short' })).toThrow(/at least 32/);
    expect(parseEnv({ NODE_ENV: 'production', AUTH_SECRET: 'x'.repeat(32) }).AUTH_SECRET).toHaveLength(32);
  });

  it('takes SSO_SECRET_KEY only as 32 bytes (hex or base64)', () => {
    expect(() => parseEnv({ SSO_SECRET_KEY: 'too short' })).toThrow(/SSO_SECRET_KEY must be 32 bytes/);
    expect(parseEnv({ SSO_SECRET_KEY: 'ab'.repeat(32) }).SSO_SECRET_KEY).toHaveLength(64);
    expect(parseEnv({ SSO_SECRET_KEY: Buffer.alloc(32, 7).toString('base64') }).SSO_SECRET_KEY).toBeDefined();
  });

  it('refuses a DATABASE_URL that is not PostgreSQL, listing every problem', () => {
    expect(() =>
      parseEnv({ DATABASE_URL: 'mysql://localhost/db', DATABASE_POOL_MAX: '0' }),
    ).toThrow(/DATABASE_URL must be a postgres[\s\S]*DATABASE_POOL_MAX/);
  });

  it('coerces numbers', () => {
    expect(parseEnv({ DATABASE_POOL_MAX: '25', SESSION_MAX_AGE_SECONDS: '3600' })).toMatchObject({
      DATABASE_POOL_MAX: 25,
      SESSION_MAX_AGE_SECONDS: 3600,
    });
  });
});
