import type { OAuthConfig } from 'next-auth/providers/oauth';
import { discoveryUrl, ssoProviderId } from '@/lib/domain/sso';
import type { SsoProviderConfig } from '@/lib/dal/sso/lookup';

/** The claims the app reads from the ID token (completed from userinfo where it lacks them). */
export type SsoClaims = {
  sub: string;
  email?: string;
  email_verified?: boolean | string;
  name?: string;
};

/**
 * An organization's OpenID Connect provider for next-auth: discovery, the code flow with PKCE,
 * state and nonce, the ID token validated by openid-client (issuer, audience, signature, nonce).
 * Providers whose ID token carries no e-mail claims get them from the userinfo endpoint (its
 * subject checked against the ID token's).
 */
export function buildSsoProvider(config: SsoProviderConfig): OAuthConfig<SsoClaims> {
  return {
    id: ssoProviderId(config.orgId),
    name: 'Single sign-on',
    type: 'oauth',
    wellKnown: discoveryUrl(config.issuer),
    issuer: config.issuer,
    clientId: config.clientId,
    clientSecret: config.clientSecret ?? '',
    idToken: true,
    checks: ['pkce', 'state', 'nonce'],
    authorization: { params: { scope: 'openid email profile' } },
    userinfo: {
      async request({ tokens, client }) {
        // next-auth hands over openid-client's TokenSet (typed as its plain parameters).
        const set = tokens as unknown as { claims(): SsoClaims };
        const claims = set.claims();
        if (claims.email && claims.email_verified !== undefined) return claims;
        const info = (await client.userinfo(set as never)) as unknown as Partial<SsoClaims>;
        return {
          ...info,
          ...claims,
          email: claims.email ?? info.email,
          email_verified: claims.email_verified ?? info.email_verified,
        };
      },
    },
    profile(claims) {
      return { id: claims.sub, email: claims.email ?? null, name: claims.name ?? null };
    },
  };
}
