/*
 * Single sign-on rules, pure: provider ids, e-mail domains, issuer URLs, and what a sign-in
 * through an organization's provider may do (README "Single sign-on").
 */

const PROVIDER_PREFIX = 'sso-';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** next-auth's provider id for an organization's provider: `sso-<orgId>`. */
export function ssoProviderId(orgId: string): string {
  return `${PROVIDER_PREFIX}${orgId}`;
}

/** The organization id in a provider id, or null when it is not an SSO provider id. */
export function orgIdOfSsoProvider(providerId: string | undefined): string | null {
  if (!providerId?.startsWith(PROVIDER_PREFIX)) return null;
  const id = providerId.slice(PROVIDER_PREFIX.length);
  return UUID.test(id) ? id.toLowerCase() : null;
}

/** A domain name as stored: lower case, no trailing dot; null when it is not one. */
export function normalizeDomain(text: string): string | null {
  const value = text.trim().toLowerCase().replace(/^@/, '').replace(/\.$/, '');
  if (value.length < 3 || value.length > 253) return null;
  const label = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;
  const labels = value.split('.');
  if (labels.length < 2 || !labels.every((l) => label.test(l))) return null;
  if (!/[a-z]/.test(labels[labels.length - 1]!)) return null;
  return value;
}

/** The domain of an e-mail address (lower case), or null. */
export function emailDomain(email: string): string | null {
  const at = email.lastIndexOf('@');
  if (at < 1) return null;
  return normalizeDomain(email.slice(at + 1));
}

/**
 * What is wrong with an issuer URL, or null: https, or http on a loopback host (development and
 * tests); no query, fragment or credentials.
 */
export function issuerProblem(text: string): string | null {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return 'Enter the issuer as a full URL, such as https://login.example.com';
  }
  const loopback = ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname);
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback)) {
    return 'The issuer must be an https:// URL (http:// only on localhost)';
  }
  if (url.search || url.hash || url.username || url.password) {
    return 'The issuer URL has no query, fragment or credentials';
  }
  return null;
}

/** The discovery document's address for an issuer (OpenID Connect Discovery 1.0, section 4). */
export function discoveryUrl(issuer: string): string {
  return `${issuer.replace(/\/+$/, '')}/.well-known/openid-configuration`;
}

/** Why a sign-in through an organization's provider is refused; each has its own message. */
export type SsoRefusal =
  | 'SsoNoEmail'
  | 'SsoEmailUnverified'
  | 'SsoDomainNotAllowed'
  | 'SsoNotMember'
  | 'SsoUnavailable';

/**
 * The identity rules before any account is touched: the provider must vouch for the address
 * (`email_verified` true) and its domain must be one of the organization's.
 */
export function checkSsoIdentity(
  identity: { email: string | null; emailVerified: boolean },
  allowedDomains: readonly string[],
): SsoRefusal | null {
  if (!identity.email) return 'SsoNoEmail';
  if (!identity.emailVerified) return 'SsoEmailUnverified';
  const domain = emailDomain(identity.email);
  if (!domain || !allowedDomains.includes(domain)) return 'SsoDomainNotAllowed';
  return null;
}
