'use client';

import { signIn } from 'next-auth/react';
import { useRouter } from 'next/navigation';
import { useState, type FormEvent } from 'react';
import { Button } from '@/components/ui/button';
import { Field } from '@/components/ui/field';
import { FormAlert } from '@/components/ui/form-alert';
import { safeCallback } from '@/lib/auth/callback-url';
import { SSO_SIGN_IN_MESSAGES } from './sso-messages';

const MESSAGES: Record<string, string> = {
  ...SSO_SIGN_IN_MESSAGES,
  RateLimited:
    'Too many failed sign-ins from here. Wait a few minutes and try again, or reset your password.',
  CredentialsSignin: 'That email and password do not match an account.',
  SignInUnavailable: 'Sign-in is unavailable for a moment. Try again shortly.',
};

/** A demo persona offered on the sign-in page while demo mode is on. */
export type DemoAccountOption = {
  email: string;
  password: string;
  name: string;
  label: string;
  description: string;
};

/**
 * Email + password sign-in; one generic message for an unknown email and a wrong password. Demo
 * personas (demo mode only) sign in through the same path with one click.
 */
export function SignInForm({
  initialError,
  callbackUrl,
  demoAccounts = [],
}: {
  initialError?: string;
  callbackUrl?: string;
  demoAccounts?: readonly DemoAccountOption[];
}) {
  const router = useRouter();
  const [error, setError] = useState<string | null>(
    initialError ? (MESSAGES[initialError] ?? MESSAGES.CredentialsSignin!) : null,
  );
  const [pending, setPending] = useState(false);

  async function submit(email: string, password: string) {
    setPending(true);
    setError(null);
    const result = await signIn('credentials', { email, password, redirect: false });
    if (!result || result.error) {
      setPending(false);
      setError(MESSAGES[result?.error ?? ''] ?? MESSAGES.CredentialsSignin!);
      return;
    }
    router.replace(safeCallback(callbackUrl));
    router.refresh();
  }

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    await submit(String(form.get('email') ?? ''), String(form.get('password') ?? ''));
  }

  return (
    <>
      <form onSubmit={onSubmit} className="space-y-4" noValidate>
        <FormAlert message={error} />
        <Field label="Email" name="email" type="email" autoComplete="email" required />
        <Field
          label="Password"
          name="password"
          type="password"
          autoComplete="current-password"
          required
        />
        <Button type="submit" className="w-full" disabled={pending}>
          {pending ? 'Signing in…' : 'Sign in'}
        </Button>
      </form>
      {demoAccounts.length > 0 ? (
        <section
          aria-labelledby="demo-heading"
          className="mt-6 border-t border-gray-200 pt-5"
          data-testid="demo-accounts"
        >
          <h2 id="demo-heading" className="text-sm font-semibold text-gray-900">
            Explore the demo company
          </h2>
          <p className="mt-1 text-xs text-gray-600">
            Northwind Cloud, with 18 months of data. Every demo account uses the password{' '}
            <code className="whitespace-nowrap rounded bg-gray-100 px-1 py-0.5 text-gray-800">
              {demoAccounts[0]!.password}
            </code>
            .
          </p>
          <ul className="mt-3 space-y-2">
            {demoAccounts.map((account) => (
              <li key={account.email}>
                <button
                  type="button"
                  disabled={pending}
                  onClick={() => void submit(account.email, account.password)}
                  className="w-full rounded-md border border-gray-200 px-3 py-2 text-left hover:border-indigo-300 hover:bg-indigo-50 focus-visible:outline focus-visible:outline-2 focus-visible:outline-indigo-600 disabled:cursor-not-allowed disabled:opacity-60"
                >
                  <span className="block text-sm font-medium text-gray-900">
                    {account.label}: {account.name}
                  </span>
                  <span className="block text-xs text-gray-600">{account.description}</span>
                  <span className="block text-xs text-gray-500">{account.email}</span>
                </button>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
    </>
  );
}
