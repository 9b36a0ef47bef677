import { describe, expect, it } from 'vitest';
import {
  checkSsoIdentity,
  discoveryUrl,
  emailDomain,
  issuerProblem,
  normalizeDomain,
  orgIdOfSsoProvider,
  ssoProviderId,
} from './sso';

describe('sso rules', () => {
  it('round-trips provider ids and refuses anything else', () => {
    const id = '0b7c3c8e-5c1f-4e4e-9f59-1c1b8a2f0d11';
    expect(orgIdOfSsoProvider(ssoProviderId(id))).toBe(id);
    expect(orgIdOfSsoProvider('credentials')).toBeNull();
    expect(orgIdOfSsoProvider('sso-not-a-uuid')).toBeNull();
    expect(orgIdOfSsoProvider(undefined)).toBeNull();
  });

  it('normalizes domains and e-mail domains', () => {
    expect(normalizeDomain(' @Example.COM. ')).toBe('example.com');
    expect(normalizeDomain('sub.example.co.uk')).toBe('sub.example.co.uk');
    for (const bad of ['example', 'exa mple.com', '-a.com', 'a..com', 'a.123', 'http://a.com'])
      expect(normalizeDomain(bad), bad).toBeNull();
    expect(emailDomain('Ann@Acme.Test')).toBe('acme.test');
    expect(emailDomain('no-at-sign')).toBeNull();
  });

  it('accepts https issuers and http only on loopback', () => {
    expect(issuerProblem('https://login.example.com')).toBeNull();
    expect(issuerProblem('http://127.0.0.1:4000/oidc')).toBeNull();
    expect(issuerProblem('http://login.example.com')).toMatch(/https/);
    expect(issuerProblem('https://login.example.com/?a=1')).toMatch(/query/);
    expect(issuerProblem('not a url')).toMatch(/full URL/);
    expect(discoveryUrl('https://a.test/')).toBe('https://a.test/.well-known/openid-configuration');
  });

  it('needs a verified address of an allowed domain', () => {
    const allowed = ['acme.test'];
    expect(checkSsoIdentity({ email: 'a@acme.test', emailVerified: true }, allowed)).toBeNull();
    expect(checkSsoIdentity({ email: 'a@acme.test', emailVerified: false }, allowed)).toBe(
      'SsoEmailUnverified',
    );
    expect(checkSsoIdentity({ email: 'a@evil.test', emailVerified: true }, allowed)).toBe(
      'SsoDomainNotAllowed',
    );
    expect(checkSsoIdentity({ email: 'a@sub.acme.test', emailVerified: true }, allowed)).toBe(
      'SsoDomainNotAllowed',
    );
    expect(checkSsoIdentity({ email: null, emailVerified: true }, allowed)).toBe('SsoNoEmail');
  });
});
