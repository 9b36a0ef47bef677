import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { CardSection } from '@/components/ui/card-section';
import { can } from '@/lib/authz/can';
import { getSsoSettings } from '@/lib/dal/sso/config';
import { ssoProviderId } from '@/lib/domain/sso';
import { requireOrgPage } from '@/lib/server/page-context';
import { SettingsSubpageHeader } from '../_components/settings-subpage-header';
import { CallbackUrl } from './_components/callback-url';
import { SsoConfigForm } from './_components/sso-config-form';

export const metadata: Metadata = { title: 'Single sign-on' };

/**
 * The organization's OpenID Connect provider (owners and admins): issuer, client, allowed
 * domains, "require SSO", a connection test, and the callback URL to register at the provider.
 */
export default async function SsoSettingsPage({
  params,
}: {
  params: Promise<{ orgSlug: string }>;
}) {
  const { orgSlug } = await params;
  const ctx = await requireOrgPage(orgSlug);
  if (!can(ctx, 'settings.manage')) notFound();
  const settings = await getSsoSettings(ctx);
  const callbackPath = `/api/auth/callback/${ssoProviderId(ctx.org.id)}`;

  return (
    <div className="mx-auto max-w-3xl space-y-6">
      <SettingsSubpageHeader orgSlug={ctx.org.slug} title="Single sign-on">
        People of {ctx.org.name} sign in with your company&apos;s OpenID Connect provider (Okta,
        Microsoft Entra ID, Google Workspace, Keycloak, ...). Someone signing in for the first time
        with an address of an allowed domain joins as a member.
      </SettingsSubpageHeader>

      <CardSection
        id="sso-register"
        title="1. Register the app at your provider"
        description="Create a web application (authorization code flow, client secret) with this redirect (callback) URL, and the scopes openid, email and profile."
      >
        <CallbackUrl path={callbackPath} />
      </CardSection>

      <CardSection
        id="sso-config"
        title="2. Connect it"
        description={
          <span data-testid="sso-status">
            {settings
              ? `Single sign-on is on${settings.requireSso ? ' and required for everyone but the owner' : ''}.`
              : 'Not set up: everyone signs in with a password.'}
          </span>
        }
      >
        {settings && !settings.clientSecretReadable ? (
          <p className="mb-4 rounded-md border border-amber-200 bg-amber-50 px-3 py-2 text-sm text-amber-900">
            The stored client secret cannot be decrypted with the current key (SSO_SECRET_KEY or
            AUTH_SECRET changed): single sign-on is off until you enter the secret again.
          </p>
        ) : null}
        <SsoConfigForm
          orgSlug={ctx.org.slug}
          initial={
            settings
              ? {
                  issuer: settings.issuer,
                  clientId: settings.clientId,
                  allowedDomains: settings.allowedDomains.join(', '),
                  requireSso: settings.requireSso,
                }
              : null
          }
        />
      </CardSection>
    </div>
  );
}
