import type { Metadata } from 'next';
import Link from 'next/link';
import { verifyEmailWithLink } from '@/lib/dal/account-links';
import { AppError } from '@/lib/errors';

export const metadata: Metadata = { title: 'Confirm your e-mail address', referrer: 'no-referrer' };

/** Following the link confirms the address (once); the page says whether it worked. */
export default async function VerifyEmailPage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  let outcome: { ok: true; email: string } | { ok: false; message: string };
  try {
    if (!/^[A-Za-z0-9_-]{43}$/.test(token))
      throw new AppError('VALIDATION', 'This confirmation link is not valid.');
    outcome = { ok: true, ...(await verifyEmailWithLink(token)) };
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    outcome = { ok: false, message: error.message };
  }
  return (
    <>
      <h1 className="mb-2 text-xl font-semibold">
        {outcome.ok ? 'Address confirmed' : 'This link does not work'}
      </h1>
      <p className="mb-6 break-words text-sm text-gray-600">
        {outcome.ok ? <>Thank you: {outcome.email} is confirmed.</> : outcome.message}
      </p>
      <Link
        href="/"
        className="inline-flex w-full justify-center rounded-md bg-indigo-600 px-4 py-2 text-sm font-medium text-white hover:bg-indigo-700"
      >
        Continue to Cascade KPI
      </Link>
    </>
  );
}
