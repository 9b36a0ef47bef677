import type { Metadata } from 'next';
import { CardSection } from '@/components/ui/card-section';
import { getMySecondFactor } from '@/lib/dal/two-factor/enrol';
import { requireOrgPage } from '@/lib/server/page-context';
import { mustEnrolSecondFactor } from '@/lib/server/second-factor-gate';
import { TwoFactorPanel } from './_components/two-factor-panel';

export const metadata: Metadata = { title: 'Security' };

/**
 * The signed-in person's own sign-in security (every member): two-factor sign-in with an
 * authenticator app and recovery codes. An admin whom the organization requires it of lands here
 * until it is on (so this page is allowed before it).
 */
export default async function SecurityPage({ params }: { params: Promise<{ orgSlug: string }> }) {
  const { orgSlug } = await params;
  const ctx = await requireOrgPage(orgSlug, { enrolling: true });
  const factor = await getMySecondFactor(ctx);
  const required = mustEnrolSecondFactor(ctx);

  return (
    <div className="mx-auto max-w-2xl space-y-6">
      <div>
        <h1 className="text-2xl font-semibold">Security</h1>
        <p className="mt-1 text-sm text-gray-600">
          How you sign in as {ctx.user.email}. This applies to every organization you belong to.
        </p>
      </div>
      {required ? (
        <div
          role="status"
          data-testid="two-factor-required"
          className="rounded-lg border border-amber-300 bg-amber-50 px-4 py-3 text-sm text-amber-900"
        >
          {ctx.org.name} requires two-factor sign-in for owners and admins. Set it up below to
          continue using the organization.
        </div>
      ) : null}
      <CardSection
        id="two-factor"
        title="Two-factor sign-in"
        description="After your password, sign-in asks for a 6-digit code from an authenticator app (Google Authenticator, 1Password, Authy, ...). Recovery codes get you in if you lose the app."
      >
        <TwoFactorPanel
          orgSlug={ctx.org.slug}
          enabled={factor.enabled}
          recoveryCodesLeft={factor.recoveryCodesLeft}
        />
      </CardSection>
    </div>
  );
}
