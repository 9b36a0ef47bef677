'use client';

import { useState } from 'react';
import { setEmailPreferenceAction } from '@/lib/actions/notifications';
import type { NotificationKind } from '@/lib/notify/kinds';

/** E-mail on or off per kind of notification (my own); saves on each change. */
export function EmailPreferencesForm({
  orgSlug,
  kinds,
  initial,
}: {
  orgSlug: string;
  kinds: { kind: NotificationKind; title: string; detail: string }[];
  initial: Record<NotificationKind, boolean>;
}) {
  const [values, setValues] = useState(initial);
  const [status, setStatus] = useState<{ ok: boolean; message: string } | null>(null);
  const [busy, setBusy] = useState<NotificationKind | null>(null);

  async function change(kind: NotificationKind, email: boolean) {
    setBusy(kind);
    setStatus(null);
    const result = await setEmailPreferenceAction(orgSlug, { kind, email });
    setBusy(null);
    if (!result.ok) {
      setStatus({ ok: false, message: result.error.message });
      return;
    }
    setValues((v) => ({ ...v, [kind]: email }));
    setStatus({ ok: true, message: email ? 'E-mails on.' : 'E-mails off.' });
  }

  return (
    <fieldset className="space-y-3">
      <legend className="sr-only">E-mail per kind of notification</legend>
      {kinds.map((k) => (
        <label key={k.kind} className="flex items-start gap-3">
          <input
            type="checkbox"
            className="mt-1 h-4 w-4 rounded border-gray-300 text-indigo-600"
            checked={values[k.kind]}
            disabled={busy === k.kind}
            onChange={(e) => void change(k.kind, e.target.checked)}
          />
          <span>
            <span className="block text-sm font-medium text-gray-900">E-mail me: {k.title}</span>
            <span className="block text-xs text-gray-500">{k.detail}</span>
          </span>
        </label>
      ))}
      {status ? (
        <p role="status" className={`text-sm ${status.ok ? 'text-emerald-700' : 'text-red-700'}`}>
          {status.message}
        </p>
      ) : null}
    </fieldset>
  );
}
