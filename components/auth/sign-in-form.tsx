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
  TotpInvalid: 'That code is not right, or was already used. Enter the next code your app shows.',
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
  // After a right password for an account with a second factor: its code is asked next.
  const [secondStep, setSecondStep] = useState<{ email: string; password: string } | null>(null);

  async function submit(email: string, password: string, code?: string) {
    setPending(true);
    setError(null);
    const result = await signIn('credentials', {
      email,
      password,
      ...(code === undefined ? {} : { code }),
      redirect: false,
    });
    if (!result || result.error) {
      setPending(false);
      if (result?.error === 'TotpRequired') {
        setSecondStep({ email, password });
        return;
      }
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

  async function onSubmitCode(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (!secondStep) return;
    const code = String(new FormData(event.currentTarget).get('code') ?? '').trim();
    if (!code) {
      setError('Enter the code from your authenticator app, or a recovery code.');
      return;
    }
    await submit(secondStep.email, secondStep.password, code);
  }

  if (secondStep) {
    return (
      // Its own key: React must not reuse the password input (and its value) for the code.
      <form
        key="second-factor"
        onSubmit={onSubmitCode}
        className="space-y-4"
        noValidate
        aria-label="Two-factor code"
      >
        <FormAlert message={error} />
        <p className="text-sm text-gray-600">
          Your account has two-factor sign-in. Enter the 6-digit code your authenticator app shows
          for Cascade KPI, or one of your recovery codes.
        </p>
        <Field
          label="Authentication code"
          name="code"
          autoComplete="one-time-code"
          inputMode="text"
          autoFocus
          maxLength={40}
          required
        />
        <Button type="submit" className="w-full" disabled={pending}>
          {pending ? 'Checking…' : 'Verify and sign in'}
        </Button>
        <button
          type="button"
          className="w-full text-center text-sm font-medium text-gray-600 hover:underline"
          onClick={() => {
            setSecondStep(null);
            setError(null);
          }}
        >
          Use another account
        </button>
      </form>
    );
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
