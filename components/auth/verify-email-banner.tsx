'use client';

import { useState } from 'react';
import { resendVerificationAction } from '@/lib/actions/account-recovery';

/** Shown until the signed-in person confirms their address; the link can be sent again. */
export function VerifyEmailBanner({ email }: { email: string }) {
  const [state, setState] = useState<
    { kind: 'idle' | 'pending' } | { kind: 'done' | 'error'; message: string }
  >({
    kind: 'idle',
  });

  async function resend() {
    setState({ kind: 'pending' });
    const result = await resendVerificationAction();
    if (!result.ok) setState({ kind: 'error', message: result.error.message });
    else if (!result.data.email)
      setState({ kind: 'done', message: 'Your address is already confirmed.' });
    else if (!result.data.mailed) {
      setState({
        kind: 'error',
        message: 'E-mail is not set up on this server yet: ask your administrator.',
      });
    } else setState({ kind: 'done', message: `A new link is on its way to ${result.data.email}.` });
  }

  return (
    <div
      role="region"
      aria-label="Confirm your e-mail address"
      className="no-print border-b border-amber-200 bg-amber-50 px-4 py-2 text-sm text-amber-900"
    >
      <div className="mx-auto flex max-w-7xl flex-wrap items-center gap-x-3 gap-y-1">
        <span>
          Confirm your e-mail address: we sent a link to{' '}
          <span className="break-all font-medium">{email}</span>.
        </span>
        {state.kind === 'done' || state.kind === 'error' ? (
          <span role="status" className={state.kind === 'error' ? 'text-red-700' : undefined}>
            {state.message}
          </span>
        ) : (
          <button
            type="button"
            onClick={() => void resend()}
            disabled={state.kind === 'pending'}
            className="font-medium text-amber-900 underline hover:no-underline disabled:opacity-60"
          >
            {state.kind === 'pending' ? 'Sending…' : 'Send the link again'}
          </button>
        )}
      </div>
    </div>
  );
}
