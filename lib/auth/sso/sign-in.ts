import type { Account, Profile, User } from 'next-auth';
import { orgIdOfSsoProvider } from '@/lib/domain/sso';
import { getSsoProviderConfig } from '@/lib/dal/sso/lookup';
import { resolveSsoSignIn, SsoRefusedError } from '@/lib/dal/sso/sign-in';
import { startSession } from '@/lib/dal/sessions';
import type { SsoClaims } from './provider';

/**
 * next-auth's signIn callback for organization providers (credentials pass through untouched):
 * applies the SSO rules, signs in or creates the account, and opens a session row exactly like a
 * password sign-in, writing the app's user id, session version and session id onto `user` for
 * the jwt callback. A refusal throws its code: next-auth sends the browser to /sign-in?error=<code>.
 */
export async function ssoSignInCallback({
  user,
  account,
  profile,
}: {
  user: User;
  account: Account | null;
  profile?: Profile;
}): Promise<boolean> {
  const orgId = orgIdOfSsoProvider(account?.provider);
  if (!orgId) return true;
  try {
    const config = await getSsoProviderConfig(orgId);
    if (!config) throw new SsoRefusedError('SsoUnavailable');
    const claims = (profile ?? {}) as Partial<SsoClaims>;
    const signedIn = await resolveSsoSignIn(config, {
      email: typeof claims.email === 'string' ? claims.email : null,
      emailVerified: claims.email_verified === true || claims.email_verified === 'true',
      name: typeof claims.name === 'string' ? claims.name : null,
    });
    // The provider vouched for the person in this organization only: the session opens no other.
    const sid = await startSession(signedIn.userId, { ssoOrgId: orgId });
    Object.assign(user, { id: signedIn.userId, sv: signedIn.sessionVersion, sid });
    return true;
  } catch (error) {
    if (error instanceof SsoRefusedError) throw error;
    console.error('[sso sign-in]', error);
    throw new SsoRefusedError('SsoUnavailable');
  }
}
