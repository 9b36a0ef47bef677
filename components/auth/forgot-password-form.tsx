'use client';

import { useState, type FormEvent } from 'react';
import { Button } from '@/components/ui/button';
import { Field } from '@/components/ui/field';
import { FormAlert } from '@/components/ui/form-alert';
import { requestPasswordResetAction } from '@/lib/actions/account-recovery';

/** Asks for a reset link; the answer is the same whether or not the address has an account. */
export function ForgotPasswordForm({ initialEmail = '' }: { initialEmail?: string }) {
  const [error, setError] = useState<string | null>(null);
  const [fieldError, setFieldError] = useState<string | undefined>();
  const [sentTo, setSentTo] = useState<{ email: string; minutes: number } | null>(null);
  const [pending, setPending] = useState(false);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const email = String(new FormData(event.currentTarget).get('email') ?? '');
    setPending(true);
    setError(null);
    setFieldError(undefined);
    const result = await requestPasswordResetAction({ email });
    setPending(false);
    if (!result.ok) {
      const first = result.error.fieldErrors?.email?.[0];
      if (first) setFieldError(first);
      else setError(result.error.message);
      return;
    }
    setSentTo({ email: email.trim(), minutes: result.data.minutes });
  }

  if (sentTo) {
    return (
      <div
        role="status"
        className="space-y-2 rounded-md border border-indigo-200 bg-indigo-50 p-3 text-sm text-indigo-900"
      >
        <p className="font-medium">Check your inbox.</p>
        <p>
          If <span className="break-all font-medium">{sentTo.email}</span> has an account, a link to
          choose a new password is on its way. It works once, for {sentTo.minutes} minutes.
        </p>
      </div>
    );
  }

  return (
    <form onSubmit={onSubmit} className="space-y-4" noValidate>
      <FormAlert message={error} />
      <Field
        label="Email"
        name="email"
        type="email"
        autoComplete="email"
        required
        defaultValue={initialEmail}
        error={fieldError}
      />
      <Button type="submit" className="w-full" disabled={pending}>
        {pending ? 'Sending…' : 'Send me a reset link'}
      </Button>
    </form>
  );
}
