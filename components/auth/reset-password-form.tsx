'use client';

import { signIn } from 'next-auth/react';
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useState, type FormEvent } from 'react';
import { Button } from '@/components/ui/button';
import { Field } from '@/components/ui/field';
import { FormAlert } from '@/components/ui/form-alert';
import { resetPasswordAction } from '@/lib/actions/account-recovery';

/** Sets a new password through a reset link, then signs in with it. */
export function ResetPasswordForm({ token }: { token: string }) {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const [fieldError, setFieldError] = useState<string | undefined>();
  const [pending, setPending] = useState(false);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const password = String(new FormData(event.currentTarget).get('password') ?? '');
    setPending(true);
    setError(null);
    setFieldError(undefined);
    const result = await resetPasswordAction({ token, password });
    if (!result.ok) {
      setPending(false);
      const first = result.error.fieldErrors?.password?.[0];
      if (first) setFieldError(first);
      else setError(result.error.message);
      return;
    }
    const signedIn = await signIn('credentials', {
      email: result.data.email,
      password,
      redirect: false,
    });
    router.replace(signedIn && !signedIn.error ? '/' : '/sign-in');
    router.refresh();
  }

  return (
    <form onSubmit={onSubmit} className="space-y-4" noValidate>
      <FormAlert message={error} />
      {error ? (
        <p className="text-sm">
          <Link href="/forgot-password" className="font-medium text-indigo-600 hover:underline">
            Ask for a new link
          </Link>
        </p>
      ) : null}
      <Field
        label="New password"
        name="password"
        type="password"
        autoComplete="new-password"
        required
        error={fieldError}
        hint="At least 8 characters. Long passphrases are welcome."
      />
      <Button type="submit" className="w-full" disabled={pending}>
        {pending ? 'Saving…' : 'Set new password'}
      </Button>
    </form>
  );
}
