'use client';

import { useState, useTransition } from 'react';
import { useSaved } from '@/components/layout/use-saved';
import { Button } from '@/components/ui/button';
import { FormAlert } from '@/components/ui/form-alert';
import { createReportShareAction, revokeReportShareAction } from '@/lib/actions/reports';
import type { ReportShareDto } from '@/lib/dal/reports/shares';
import { CopyLink } from '../../people/_components/copy-link';

const EXPIRY_OPTIONS = [7, 30, 90] as const;

/**
 * Admins: create a read-only link to this report as it is now (a frozen snapshot, without
 * individual KPIs), see the links made so far, revoke any at once. The link is shown only once.
 */
export function SharePanel({
  orgSlug,
  scope,
  period,
  shares,
}: {
  orgSlug: string;
  scope: string;
  period: string;
  shares: ReportShareDto[];
}) {
  const afterSave = useSaved();
  const [days, setDays] = useState<number>(30);
  const [created, setCreated] = useState<{ url: string; expiresAt: string } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();

  function create() {
    startTransition(async () => {
      setError(null);
      const result = await createReportShareAction(orgSlug, { scope, period, expiresInDays: days });
      if (!result.ok) {
        setError(result.error.message);
        return;
      }
      setCreated({
        url: `${window.location.origin}/share/${result.data.token}`,
        expiresAt: result.data.expiresAt,
      });
      void afterSave();
    });
  }

  function revoke(shareId: string) {
    startTransition(async () => {
      setError(null);
      const result = await revokeReportShareAction(orgSlug, { shareId });
      if (!result.ok) setError(result.error.message);
      void afterSave();
    });
  }

  const now = new Date().toISOString();
  return (
    <section
      aria-labelledby="share-heading"
      className="no-print rounded-xl border border-gray-200 bg-white p-4 shadow-sm"
    >
      <h2 id="share-heading" className="font-semibold text-gray-900">
        Share with people outside the app
      </h2>
      <p className="mt-0.5 text-sm text-gray-600">
        A read-only link to this report exactly as it is now; later check-ins do not change it.
        Individual KPIs are left out. Anyone with the link can open it until it expires or you
        revoke it.
      </p>
      <div className="mt-3 flex flex-wrap items-end gap-2">
        <label className="text-sm text-gray-700">
          <span className="mr-2">Expires after</span>
          <select
            value={days}
            onChange={(e) => setDays(Number(e.target.value))}
            className="rounded-md border border-gray-300 bg-white py-1.5 pl-3 pr-8 text-sm shadow-sm"
          >
            {EXPIRY_OPTIONS.map((d) => (
              <option key={d} value={d}>
                {d} days
              </option>
            ))}
          </select>
        </label>
        <Button type="button" onClick={create} disabled={pending}>
          {pending ? 'Creating…' : 'Create share link'}
        </Button>
      </div>
      <div className="mt-2">
        <FormAlert message={error} />
      </div>
      {created ? (
        <div className="mt-3 rounded-lg border border-emerald-200 bg-emerald-50 p-3">
          <p className="mb-2 text-sm text-emerald-900">
            Link created. Copy it now: it is shown only once. Expires{' '}
            {created.expiresAt.slice(0, 10)}.
          </p>
          <CopyLink url={created.url} label="Share link" />
        </div>
      ) : null}
      {shares.length > 0 ? (
        <ul className="mt-4 divide-y divide-gray-100 border-t border-gray-100 text-sm">
          {shares.map((s) => {
            const state = s.revokedAt
              ? 'Revoked'
              : s.expiresAt <= now
                ? 'Expired'
                : s.deadReason
                  ? 'Not working'
                  : 'Active';
            return (
              <li key={s.id} className="flex flex-wrap items-center justify-between gap-2 py-2">
                <div className="min-w-0">
                  <p className="font-medium text-gray-900">{s.title}</p>
                  <p className="text-xs text-gray-500">
                    {state} · created {s.createdAt.slice(0, 10)}
                    {s.createdByName ? ` by ${s.createdByName}` : ''} · expires{' '}
                    {s.expiresAt.slice(0, 10)}
                  </p>
                  {state === 'Not working' ? (
                    <p className="mt-0.5 text-xs font-medium text-amber-800" data-testid="share-dead">
                      {s.deadReason} Revoke it, or make a new link.
                    </p>
                  ) : null}
                </div>
                {state === 'Active' || state === 'Not working' ? (
                  <Button
                    type="button"
                    variant="ghost"
                    className="px-3 text-red-700 hover:bg-red-50"
                    aria-label={`Revoke share link ${s.title}`}
                    disabled={pending}
                    onClick={() => revoke(s.id)}
                  >
                    Revoke
                  </Button>
                ) : null}
              </li>
            );
          })}
        </ul>
      ) : null}
    </section>
  );
}
