import type { Metadata } from 'next';
import Link from 'next/link';
import { ResetPasswordForm } from '@/components/auth/reset-password-form';
import { INVALID_RESET_LINK, isPasswordResetLinkValid } from '@/lib/dal/account-links';

export const metadata: Metadata = { title: 'Choose a new password', referrer: 'no-referrer' };

export default async function ResetPasswordPage({
  params,
}: {
  params: Promise<{ token: string }>;
}) {
  const { token } = await params;
  const valid = /^[A-Za-z0-9_-]{43}$/.test(token) && (await isPasswordResetLinkValid(token));
  if (!valid) {
    return (
      <>
        <h1 className="mb-2 text-xl font-semibold">This link does not work</h1>
        <p className="mb-6 text-sm text-gray-600">{INVALID_RESET_LINK}</p>
        <Link
          href="/forgot-password"
          className="inline-flex w-full justify-center rounded-md bg-indigo-600 px-4 py-2 text-sm font-medium text-white hover:bg-indigo-700"
        >
          Send me a new link
        </Link>
      </>
    );
  }
  return (
    <>
      <h1 className="mb-1 text-xl font-semibold">Choose a new password</h1>
      <p className="mb-6 text-sm text-gray-600">
        After this, you are signed out everywhere else and this link stops working.
      </p>
      <ResetPasswordForm token={token} />
    </>
  );
}
