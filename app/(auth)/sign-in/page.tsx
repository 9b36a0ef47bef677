import type { Metadata } from 'next';
import Link from 'next/link';
import { SignInForm } from '@/components/auth/sign-in-form';
import { SsoSignIn } from '@/components/auth/sso-sign-in';
import { getDemoAccounts } from '@/lib/dal/demo';

export const metadata: Metadata = { title: 'Sign in' };

export default async function SignInPage({
  searchParams,
}: {
  searchParams: Promise<{ error?: string; callbackUrl?: string }>;
}) {
  const [{ error, callbackUrl }, demoAccounts] = await Promise.all([
    searchParams,
    getDemoAccounts(),
  ]);
  return (
    <>
      <h1 className="mb-1 text-xl font-semibold">Sign in</h1>
      <p className="mb-6 text-sm text-gray-600">Welcome back. Your KPIs are waiting.</p>
      <SignInForm
        initialError={error}
        callbackUrl={callbackUrl}
        demoAccounts={demoAccounts.map(({ email, password, name, label, description }) => ({
          email,
          password,
          name,
          label,
          description,
        }))}
      />
      <SsoSignIn callbackUrl={callbackUrl} />
      <p className="mt-4 text-center text-sm">
        <Link href="/forgot-password" className="font-medium text-indigo-600 hover:underline">
          Forgot your password?
        </Link>
      </p>
      <p className="mt-3 text-center text-sm text-gray-600">
        New here?{' '}
        <Link href="/sign-up" className="font-medium text-indigo-600 hover:underline">
          Create an organization
        </Link>
      </p>
    </>
  );
}
