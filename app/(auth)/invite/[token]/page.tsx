import type { Metadata } from 'next';
import Link from 'next/link';
import { getSessionClaims } from '@/lib/auth/session';
import { getActiveUser } from '@/lib/dal/accounts';
import { getInvitationByToken, type InvitationPreview } from '@/lib/dal/people/accept-invitation';
import { AppError } from '@/lib/errors';
import { INVITATION_TOKEN_PATTERN } from '@/lib/validation/people';
import {
  AcceptAsNewUser,
  AcceptAsSignedIn,
  SignOutToAccept,
} from './_components/accept-invitation';
import { ROLE_LABEL, roleInSentence } from '@/lib/authz/roles';

export const dynamic = 'force-dynamic';

// The token is in the URL: never send it on as a referrer, never index the page.
export const metadata: Metadata = {
  title: 'Join an organization',
  referrer: 'no-referrer',
  robots: { index: false, follow: false },
};

const INVALID =
  'This invitation link is not valid. Check that you copied all of it, or ask for a new invitation.';

async function load(
  token: string,
): Promise<{ invitation: InvitationPreview } | { problem: string }> {
  if (!INVITATION_TOKEN_PATTERN.test(token)) return { problem: INVALID };
  try {
    return { invitation: await getInvitationByToken(token) };
  } catch (error) {
    if (error instanceof AppError) return { problem: error.message };
    throw error;
  }
}

export default async function InvitePage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  const loaded = await load(token);
  if ('problem' in loaded) {
    return (
      <>
        <h1 className="mb-2 text-xl font-semibold">This invitation cannot be used</h1>
        <p data-testid="invite-problem" className="text-sm text-gray-600">
          {loaded.problem}
        </p>
        <div className="mt-6 flex gap-3">
          <Link href="/sign-in" className="text-sm font-medium text-indigo-600 hover:underline">
            Sign in
          </Link>
          <Link href="/" className="text-sm font-medium text-gray-600 hover:underline">
            Home
          </Link>
        </div>
      </>
    );
  }

  const { invitation } = loaded;
  const claims = await getSessionClaims();
  const me = claims ? await getActiveUser(claims) : null;
  // A session opened by an organization's single sign-on opens that organization only.
  const singleSignOn = me !== null && me.ssoOrgId !== null;
  const roleLabel = roleInSentence(invitation.role);
  const signInHref = `/sign-in?callbackUrl=${encodeURIComponent(`/invite/${token}`)}`;

  return (
    <>
      <p className="text-xs font-semibold uppercase tracking-wide text-indigo-600">Invitation</p>
      <h1 className="mb-1 mt-1 break-words text-xl font-semibold">Join {invitation.orgName}</h1>
      <p className="mb-6 text-sm text-gray-600">
        {invitation.inviterName ?? 'An admin'} invited you to join as {roleLabel}
        {invitation.homeUnitName !== invitation.orgName ? <> in {invitation.homeUnitName}</> : null}
        .
      </p>
      <dl className="mb-6 grid grid-cols-[auto_minmax(0,1fr)] gap-x-4 gap-y-1 rounded-lg border border-gray-200 bg-gray-50 px-3 py-2 text-sm">
        <dt className="text-gray-500">Organization</dt>
        <dd className="break-words font-medium text-gray-900">{invitation.orgName}</dd>
        <dt className="text-gray-500">Role</dt>
        <dd className="font-medium text-gray-900">{ROLE_LABEL[invitation.role]}</dd>
        <dt className="text-gray-500">Home unit</dt>
        <dd className="break-words font-medium text-gray-900">{invitation.homeUnitName}</dd>
      </dl>

      {me && me.email === invitation.email && singleSignOn ? (
        <div className="space-y-4">
          <p data-testid="invite-sso-session" className="text-sm text-gray-600">
            You signed in through your organization’s single sign-on, which opens that organization
            only. To join {invitation.orgName}, sign out, open this link again and sign in with your
            email and password.
          </p>
          <SignOutToAccept token={token} />
        </div>
      ) : me && me.email === invitation.email ? (
        <AcceptAsSignedIn token={token} email={me.email} />
      ) : me ? (
        <div className="space-y-4">
          <p className="text-sm text-gray-600">
            This invitation is for{' '}
            <span className="font-medium text-gray-900">{invitation.email}</span>, but you are
            signed in as <span className="font-medium text-gray-900">{me.email}</span>. Sign out,
            then open this link again.
          </p>
          <SignOutToAccept token={token} />
        </div>
      ) : invitation.accountExists ? (
        <div className="space-y-4">
          <p className="text-sm text-gray-600">
            You already have an account with{' '}
            <span className="font-medium text-gray-900">{invitation.email}</span>. Sign in to accept
            the invitation.
          </p>
          <Link
            href={signInHref}
            className="inline-flex w-full items-center justify-center rounded-md bg-indigo-600 px-4 py-2 text-sm font-medium text-white shadow-sm hover:bg-indigo-700"
          >
            Sign in to accept
          </Link>
        </div>
      ) : (
        <>
          {invitation.claimsUnverifiedAccount ? (
            <p data-testid="invite-claims-account" className="mb-4 text-sm text-gray-600">
              Someone created an account with{' '}
              <span className="font-medium text-gray-900">{invitation.email}</span> but never
              confirmed the address. This invitation proves it is yours: accepting makes that
              account yours with the password you choose here, and signs out whoever made it.
            </p>
          ) : null}
          <AcceptAsNewUser token={token} email={invitation.email} />
        </>
      )}
    </>
  );
}
