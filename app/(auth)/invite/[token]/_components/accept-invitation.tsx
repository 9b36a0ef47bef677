'use client';

import { signIn, signOut } from 'next-auth/react';
import { useRouter } from 'next/navigation';
import { useState, type FormEvent } from 'react';
import { Button } from '@/components/ui/button';
import { Field } from '@/components/ui/field';
import { FormAlert } from '@/components/ui/form-alert';
import { acceptInvitationAction, acceptInvitationAsNewUserAction } from '@/lib/actions/invitations';

type Errors = Partial<Record<'name' | 'password', string>>;

/** A new person: name and password (the email is the invited one), then signed in and in. */
export function AcceptAsNewUser({ token, email }: { token: string; email: string }) {
  const router = useRouter();
  const [errors, setErrors] = useState<Errors>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const password = String(form.get('password') ?? '');
    setPending(true);
    setErrors({});
    setFormError(null);
    const result = await acceptInvitationAsNewUserAction({ token, name: String(form.get('name') ?? ''), password });
    if (!result.ok) {
      setPending(false);
      const fields = result.error.fieldErrors ?? {};
      setErrors({ name: fields.name?.[0], password: fields.password?.[0] });
      if (!fields.name && !fields.password) setFormError(fields.token?.[0] ?? result.error.message);
      return;
    }
    const signedIn = await signIn('credentials', { email: result.data.email, password, redirect: false });
    if (!signedIn || signedIn.error) {
      router.replace('/sign-in');
      return;
    }
    router.replace(`/o/${result.data.orgSlug}`);
    router.refresh();
  }

  return (
    <form onSubmit={onSubmit} className="space-y-4" noValidate>
      <FormAlert message={formError} />
      <Field label="Email" name="email" type="email" value={email} readOnly aria-readonly className="[&_input]:bg-gray-50 [&_input]:text-gray-600" hint="Invitations are tied to this address." />
      <Field label="Name" name="name" autoComplete="name" required error={errors.name} />
      <Field
        label="Password"
        name="password"
        type="password"
        autoComplete="new-password"
        required
        error={errors.password}
        hint="At least 8 characters. Long passphrases are welcome."
      />
      <Button type="submit" className="w-full" disabled={pending}>
        {pending ? 'Joining…' : 'Create account and join'}
      </Button>
    </form>
  );
}

/** The signed-in invitee accepts with one click. */
export function AcceptAsSignedIn({ token, email }: { token: string; email: string }) {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);

  async function accept() {
    setPending(true);
    setError(null);
    const result = await acceptInvitationAction({ token });
    if (!result.ok) {
      setPending(false);
      setError(result.error.message);
      return;
    }
    router.replace(`/o/${result.data.orgSlug}`);
    router.refresh();
  }

  return (
    <div className="space-y-4">
      <FormAlert message={error} />
      <p className="text-sm text-gray-600">
        Signed in as <span className="font-medium text-gray-900">{email}</span>.
      </p>
      <Button type="button" className="w-full" disabled={pending} onClick={() => void accept()}>
        {pending ? 'Joining…' : 'Accept invitation'}
      </Button>
    </div>
  );
}

/** Signed in as someone else: sign out and come back to this link. */
export function SignOutToAccept({ token }: { token: string }) {
  return (
    <Button
      type="button"
      variant="secondary"
      className="w-full"
      onClick={() => void signOut({ callbackUrl: `/invite/${token}` })}
    >
      Sign out
    </Button>
  );
}
