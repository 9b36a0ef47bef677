'use client';

import { signIn } from 'next-auth/react';
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useState, type FormEvent } from 'react';
import { Button } from '@/components/ui/button';
import { Field } from '@/components/ui/field';
import { FormAlert } from '@/components/ui/form-alert';
import { signUpAction } from '@/lib/actions/auth';

type Errors = Partial<Record<'name' | 'email' | 'password' | 'orgName', string>>;

/** Creates the account and organization, then signs in and opens the new workspace. */
export function SignUpForm() {
  const router = useRouter();
  const [errors, setErrors] = useState<Errors>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  const [taken, setTaken] = useState<string | null>(null);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const input = {
      name: String(form.get('name') ?? ''),
      email: String(form.get('email') ?? ''),
      password: String(form.get('password') ?? ''),
      orgName: String(form.get('orgName') ?? ''),
    };
    setPending(true);
    setErrors({});
    setFormError(null);
    setTaken(null);
    const result = await signUpAction(input);
    if (!result.ok) {
      setPending(false);
      if (
        result.error.code === 'VALIDATION' &&
        result.error.message.startsWith('An account with this email')
      ) {
        setTaken(input.email.trim().toLowerCase());
      }
      const fields = result.error.fieldErrors ?? {};
      setErrors(Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, v[0]])) as Errors);
      if (!Object.keys(fields).length) setFormError(result.error.message);
      return;
    }
    const signedIn = await signIn('credentials', {
      email: input.email,
      password: input.password,
      redirect: false,
    });
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
      <Field label="Name" name="name" autoComplete="name" required error={errors.name} />
      <Field
        label="Email"
        name="email"
        type="email"
        autoComplete="email"
        required
        error={errors.email}
      />
      {taken ? (
        <p className="-mt-2 flex flex-wrap gap-x-4 text-sm" data-testid="email-taken">
          <Link href="/sign-in" className="font-medium text-indigo-600 hover:underline">
            Sign in
          </Link>
          <Link
            href={`/forgot-password?email=${encodeURIComponent(taken)}`}
            className="font-medium text-indigo-600 hover:underline"
          >
            Reset your password
          </Link>
        </p>
      ) : null}
      <Field
        label="Password"
        name="password"
        type="password"
        autoComplete="new-password"
        required
        error={errors.password}
        hint="At least 8 characters. Long passphrases are welcome."
      />
      <Field
        label="Organization name"
        name="orgName"
        autoComplete="organization"
        required
        error={errors.orgName}
      />
      <Button type="submit" className="w-full" disabled={pending}>
        {pending ? 'Creating your workspace…' : 'Create organization'}
      </Button>
    </form>
  );
}
