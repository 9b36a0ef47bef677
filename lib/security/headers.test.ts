import { describe, expect, it } from 'vitest';
import { contentSecurityPolicy, createNonce, isSameOriginRequest } from './headers';

describe('security headers', () => {
  it('nonces are fresh base64 of 16 bytes', () => {
    const a = createNonce();
    expect(a).toMatch(/^[A-Za-z0-9+/]{22}==$/);
    expect(createNonce()).not.toBe(a);
  });

  it('the CSP allows scripts by nonce only and no framing', () => {
    const csp = contentSecurityPolicy('abc', false);
    expect(csp).toContain(`script-src 'self' 'nonce-abc' 'strict-dynamic'`);
    expect(csp).toContain(`frame-ancestors 'none'`);
    expect(csp).toContain(`object-src 'none'`);
    expect(csp).not.toContain('unsafe-eval');
    expect(contentSecurityPolicy('abc', true)).toContain(`'unsafe-eval'`);
  });

  it.each([
    [{ origin: 'https://kpi.example', host: 'kpi.example' }, true],
    [{ origin: 'http://127.0.0.1:3600', host: '127.0.0.1:3600' }, true],
    [{ origin: 'https://kpi.example', host: 'internal:3000', 'x-forwarded-host': 'kpi.example' }, true],
    [{ origin: 'https://evil.example', host: 'kpi.example' }, false],
    [{ origin: 'null', host: 'kpi.example' }, false],
    [{ host: 'kpi.example' }, false],
    [{ origin: 'not a url', host: 'kpi.example' }, false],
  ])('same-origin check %j -> %s', (headers, expected) => {
    expect(isSameOriginRequest(new Headers(headers as Record<string, string>))).toBe(expected);
  });
});
