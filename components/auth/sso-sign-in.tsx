'use client';

import { getCsrfToken } from 'next-auth/react';
import { useState, type FormEvent } from 'react';
import { Button } from '@/components/ui/button';
import { Field } from '@/components/ui/field';
import { findSsoProviderAction } from '@/lib/actions/sso';
import { safeCallback } from '@/lib/auth/callback-url';

/**
 * "Continue with SSO": finds the organization's provider by the e-mail's domain (or the
 * organization's slug), then starts next-auth's OAuth sign-in for it (PKCE, state and nonce are
 * next-auth's) and follows it to the provider. After sign-in the person lands on the callback URL,
 * or the organization's dashboard.
 */
export function SsoSignIn({ callbackUrl }: { callbackUrl?: string }) {
  const [error, setError] = useState<string | undefined>();
  const [pending, setPending] = useState(false);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setError(undefined);
    setPending(true);
    try {
      const emailOrSlug = String(new FormData(event.currentTarget).get('emailOrSlug') ?? '');
      const found = await findSsoProviderAction({ emailOrSlug });
      if (!found.ok) {
        setError(found.error.fieldErrors?.emailOrSlug?.[0] ?? found.error.message);
        setPending(false);
        return;
      }
      const target = callbackUrl ? safeCallback(callbackUrl) : `/o/${found.data.orgSlug}`;
      const response = await fetch(`/api/auth/signin/${found.data.providerId}`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          csrfToken: (await getCsrfToken()) ?? '',
          callbackUrl: target,
          json: 'true',
        }),
      });
      const { url } = (await response.json()) as { url?: string };
      if (!url) throw new Error('no redirect');
      window.location.href = url;
    } catch {
      setError('Single sign-on is unavailable for a moment. Try again shortly.');
      setPending(false);
    }
  }

  return (
    <section aria-labelledby="sso-heading" className="mt-6 border-t border-gray-200 pt-5">
      <h2 id="sso-heading" className="text-sm font-semibold text-gray-900">
        Single sign-on
      </h2>
      <form onSubmit={onSubmit} noValidate className="mt-3 space-y-3">
        <Field
          label="Work e-mail or organization"
          name="emailOrSlug"
          autoComplete="email"
          placeholder="you@company.com"
          error={error}
        />
        <Button type="submit" variant="secondary" className="w-full" disabled={pending}>
          {pending ? 'Redirecting…' : 'Continue with SSO'}
        </Button>
      </form>
    </section>
  );
}
