'use client';

import { useState, type FormEvent } from 'react';
import { useSaved } from '@/components/layout/use-saved';
import { Button } from '@/components/ui/button';
import { Field } from '@/components/ui/field';
import { FormAlert } from '@/components/ui/form-alert';
import {
  confirmTotpEnrolmentAction,
  disableTotpAction,
  startTotpEnrolmentAction,
} from '@/lib/actions/two-factor';
import type { Result } from '@/lib/result';

type Enrolment = { secret: string; uri: string; qrDataUrl: string };

/**
 * Turn two-factor sign-in on (scan or type the secret, confirm with a code, keep the recovery
 * codes shown once) or off (a code, a recovery code or the password).
 */
export function TwoFactorPanel({
  orgSlug,
  enabled,
  recoveryCodesLeft,
}: {
  orgSlug: string;
  enabled: boolean;
  recoveryCodesLeft: number;
}) {
  const afterSave = useSaved();
  const [enrolment, setEnrolment] = useState<Enrolment | null>(null);
  const [recoveryCodes, setRecoveryCodes] = useState<string[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [fieldError, setFieldError] = useState<string | undefined>();
  const [pending, setPending] = useState(false);

  async function run<T>(call: () => Promise<Result<T>>, then: (data: T) => void) {
    setPending(true);
    setError(null);
    setFieldError(undefined);
    try {
      const result = await call();
      if (!result.ok) {
        const fields = result.error.fieldErrors ?? {};
        setFieldError(fields.code?.[0] ?? fields.password?.[0]);
        setError(result.error.message);
        return;
      }
      then(result.data);
      void afterSave();
    } finally {
      setPending(false);
    }
  }

  function start() {
    void run(() => startTotpEnrolmentAction(orgSlug, {}), setEnrolment);
  }

  function confirm(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const code = String(new FormData(e.currentTarget).get('code') ?? '');
    void run(
      () => confirmTotpEnrolmentAction(orgSlug, { code }),
      (data) => {
        setEnrolment(null);
        setRecoveryCodes(data.recoveryCodes);
      },
    );
  }

  function disable(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    const code = String(form.get('code') ?? '').trim();
    const password = String(form.get('password') ?? '');
    void run(
      () =>
        disableTotpAction(orgSlug, {
          ...(code ? { code } : {}),
          ...(password ? { password } : {}),
        }),
      () => setRecoveryCodes(null),
    );
  }

  if (recoveryCodes) {
    return (
      <div className="space-y-3" data-testid="recovery-codes">
        <p role="status" className="text-sm font-medium text-emerald-700">
          Two-factor sign-in is on.
        </p>
        <p className="text-sm text-gray-700">
          Save these recovery codes somewhere safe. Each works once, in place of a code from your
          app. They are shown only now.
        </p>
        <ul className="grid grid-cols-2 gap-2 rounded-lg border border-gray-200 bg-gray-50 p-3 font-mono text-sm sm:grid-cols-5">
          {recoveryCodes.map((code) => (
            <li key={code} className="whitespace-nowrap">
              {code}
            </li>
          ))}
        </ul>
        <Button type="button" variant="secondary" onClick={() => setRecoveryCodes(null)}>
          I have saved them
        </Button>
      </div>
    );
  }

  if (enabled) {
    return (
      <div className="space-y-4">
        <p className="text-sm text-gray-700">
          <span className="mr-2 inline-flex rounded-full bg-emerald-100 px-2 py-0.5 text-xs font-medium text-emerald-800">
            On
          </span>
          {recoveryCodesLeft} of 10 recovery codes left.
        </p>
        <form onSubmit={disable} className="space-y-3" noValidate aria-label="Turn off two-factor sign-in">
          <FormAlert message={error} />
          <p className="text-sm text-gray-600">
            To turn it off, enter a current code (or a recovery code), or your password.
          </p>
          <div className="grid gap-3 sm:grid-cols-2">
            <Field
              label="Code"
              name="code"
              autoComplete="one-time-code"
              maxLength={40}
              error={fieldError}
            />
            <Field label="Or your password" name="password" type="password" autoComplete="current-password" />
          </div>
          <Button type="submit" variant="danger" disabled={pending}>
            {pending ? 'Turning off…' : 'Turn off two-factor sign-in'}
          </Button>
        </form>
      </div>
    );
  }

  if (enrolment) {
    return (
      <form onSubmit={confirm} className="space-y-4" noValidate aria-label="Confirm authenticator">
        <FormAlert message={error} />
        <ol className="list-decimal space-y-1 pl-5 text-sm text-gray-700">
          <li>Scan this code with your authenticator app, or type the key below into it.</li>
          <li>Enter the 6-digit code the app shows.</li>
        </ol>
        <div className="flex flex-col items-start gap-4 sm:flex-row sm:items-center">
          {/* eslint-disable-next-line @next/next/no-img-element -- a data URL, nothing to optimize */}
          <img
            src={enrolment.qrDataUrl}
            alt="QR code to add Cascade KPI to your authenticator app"
            width={176}
            height={176}
            className="h-44 w-44 rounded-md border border-gray-200 bg-white"
          />
          <div className="min-w-0 text-sm">
            <p className="text-gray-500">Key</p>
            <code
              data-testid="totp-secret"
              className="block break-all rounded bg-gray-100 px-2 py-1 font-mono text-gray-900"
            >
              {enrolment.secret}
            </code>
            <p className="mt-1 text-xs text-gray-500">Time-based, 6 digits, every 30 seconds.</p>
          </div>
        </div>
        <Field
          label="Code from your app"
          name="code"
          inputMode="numeric"
          autoComplete="one-time-code"
          maxLength={6}
          error={fieldError}
          className="max-w-xs"
        />
        <div className="flex flex-wrap gap-2">
          <Button type="submit" disabled={pending}>
            {pending ? 'Checking…' : 'Turn on'}
          </Button>
          <Button type="button" variant="ghost" onClick={() => setEnrolment(null)}>
            Cancel
          </Button>
        </div>
      </form>
    );
  }

  return (
    <div className="space-y-3">
      <FormAlert message={error} />
      <p className="text-sm text-gray-700">
        <span className="mr-2 inline-flex rounded-full bg-gray-100 px-2 py-0.5 text-xs font-medium text-gray-700">
          Off
        </span>
        Only your password protects your account.
      </p>
      <Button type="button" onClick={start} disabled={pending}>
        {pending ? 'Preparing…' : 'Set up two-factor sign-in'}
      </Button>
    </div>
  );
}
