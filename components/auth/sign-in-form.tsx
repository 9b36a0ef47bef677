'use client';

import { signIn } from 'next-auth/react';
import { useRouter } from 'next/navigation';
import { useState, type FormEvent } from 'react';
import { Button } from '@/components/ui/button';
import { Field } from '@/components/ui/field';
import { FormAlert } from '@/components/ui/form-alert';
import { safeCallback } from '@/lib/auth/callback-url';

const MESSAGES: Record<string, string> = {
  RateLimited: 'Too many sign-in attempts. Wait 15 minutes and try again.',
  CredentialsSignin: 'That email and password do not match an account.',
};

/** Email + password sign-in; one generic message for an unknown email and a wrong password. */
export function SignInForm({ initialError, callbackUrl }: { initialError?: string; callbackUrl?: string }) {
  const router = useRouter();
  const [error, setError] = useState<string | null>(
    initialError ? (MESSAGES[initialError] ?? MESSAGES.CredentialsSignin!) : null,
  );
  const [pending, setPending] = useState(false);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setPending(true);
    setError(null);
    const result = await signIn('credentials', {
      email: String(form.get('email') ?? ''),
      password: String(form.get('password') ?? ''),
      redirect: false,
    });
    if (!result || result.error) {
      setPending(false);
      setError(MESSAGES[result?.error ?? ''] ?? MESSAGES.CredentialsSignin!);
      return;
    }
    router.replace(safeCallback(callbackUrl));
    router.refresh();
  }

  return (
    <form onSubmit={onSubmit} className="space-y-4" noValidate>
      <FormAlert message={error} />
      <Field label="Email" name="email" type="email" autoComplete="email" required />
      <Field label="Password" name="password" type="password" autoComplete="current-password" required />
      <Button type="submit" className="w-full" disabled={pending}>
        {pending ? 'Signing in…' : 'Sign in'}
      </Button>
    </form>
  );
}

