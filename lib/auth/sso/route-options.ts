import type { NextAuthOptions } from 'next-auth';
import { orgIdOfSsoProvider } from '@/lib/domain/sso';
import { getSsoProviderConfig } from '@/lib/dal/sso/lookup';
import { buildSsoProvider } from './provider';
import { ssoSignInCallback } from './sign-in';

/**
 * The next-auth options for one request: the app's options, plus the organization's provider
 * when the URL names one (`/api/auth/signin/sso-<orgId>`, `/api/auth/callback/sso-<orgId>`),
 * built from that organization's stored configuration. Other requests get the options as they are.
 */
export async function authOptionsForRequest(
  base: NextAuthOptions,
  providerId: string | undefined,
): Promise<NextAuthOptions> {
  const orgId = orgIdOfSsoProvider(providerId);
  if (!orgId) return base;
  const config = await getSsoProviderConfig(orgId);
  if (!config?.clientSecret) return base; // next-auth then answers as for any unknown provider
  return {
    ...base,
    providers: [...base.providers, buildSsoProvider(config)],
    callbacks: { ...base.callbacks, signIn: ssoSignInCallback },
  };
}
