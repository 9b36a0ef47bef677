'use client';

import { useState, useTransition, type FormEvent } from 'react';
import { useSaved } from '@/components/layout/use-saved';
import { createApiKeyAction, revokeApiKeyAction } from '@/lib/actions/api-keys';
import type { ApiKeyDto, ApiKeyScope } from '@/lib/dal/api-keys/keys';

/** How each scope reads in the form and the list (each includes the ones before it). */
const SCOPE_LABELS: Record<ApiKeyScope, string> = {
  'write:definitions': 'Read, write and change definitions',
  write: 'Read and write check-ins',
  read: 'Read only',
};

const when = (iso: string | null) =>
  iso
    ? new Date(iso).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' })
    : 'never';

/** Create a key (its secret is shown once, to copy), list keys with their last use, revoke. */
export function ApiKeysPanel({ orgSlug, keys }: { orgSlug: string; keys: ApiKeyDto[] }) {
  const afterSave = useSaved();
  const [name, setName] = useState('');
  const [scope, setScope] = useState<ApiKeyScope>('write');
  const [created, setCreated] = useState<{ name: string; secret: string } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [copied, setCopied] = useState(false);
  const [pending, startTransition] = useTransition();

  function onCreate(event: FormEvent) {
    event.preventDefault();
    setError(null);
    startTransition(async () => {
      const result = await createApiKeyAction(orgSlug, { name, scope });
      if (!result.ok) {
        setError(result.error.fieldErrors?.name?.[0] ?? result.error.message);
        return;
      }
      setCreated({ name: result.data.key.name, secret: result.data.secret });
      setCopied(false);
      setName('');
      void afterSave();
    });
  }

  function onRevoke(key: ApiKeyDto) {
    startTransition(async () => {
      const result = await revokeApiKeyAction(orgSlug, { apiKeyId: key.id });
      if (!result.ok) setError(result.error.message);
      void afterSave();
    });
  }

  const input =
    'mt-1 block w-full rounded-md border border-gray-300 px-3 py-2 text-sm shadow-sm focus:border-indigo-500 focus:outline-none focus:ring-1 focus:ring-indigo-500';
  return (
    <div className="mt-4 space-y-4">
      <form
        onSubmit={onCreate}
        noValidate
        className="grid gap-3 sm:grid-cols-[1fr_10rem_auto] sm:items-end"
      >
        <div>
          <label htmlFor="api-key-name" className="block text-sm font-medium text-gray-700">
            Key name
          </label>
          <input
            id="api-key-name"
            value={name}
            onChange={(e) => setName(e.target.value)}
            maxLength={80}
            placeholder="Warehouse sync"
            className={input}
          />
        </div>
        <div>
          <label htmlFor="api-key-scope" className="block text-sm font-medium text-gray-700">
            Access
          </label>
          <select
            id="api-key-scope"
            value={scope}
            onChange={(e) => setScope(e.target.value as ApiKeyScope)}
            className={input}
          >
            {(['write', 'read', 'write:definitions'] as const).map((value) => (
              <option key={value} value={value}>
                {SCOPE_LABELS[value]}
              </option>
            ))}
          </select>
        </div>
        <button
          type="submit"
          disabled={pending}
          className="rounded-md bg-indigo-600 px-4 py-2 text-sm font-medium text-white shadow-sm hover:bg-indigo-700 focus-visible:outline focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600 disabled:bg-indigo-300"
        >
          Create key
        </button>
      </form>
      {error ? (
        <p className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-800" role="status">
          {error}
        </p>
      ) : null}
      {created ? (
        <div
          className="rounded-md border border-amber-300 bg-amber-50 p-3 text-sm"
          data-testid="api-key-created"
        >
          <p className="font-medium text-amber-900">
            Copy the key for “{created.name}” now: it is not shown again.
          </p>
          <div className="mt-2 flex flex-wrap gap-2">
            <label htmlFor="api-key-secret" className="sr-only">
              API key
            </label>
            <input
              id="api-key-secret"
              readOnly
              value={created.secret}
              className="min-w-0 flex-1 rounded-md border border-amber-300 bg-white px-2 py-1 font-mono text-xs"
            />
            <button
              type="button"
              onClick={() => {
                void navigator.clipboard?.writeText(created.secret).then(() => setCopied(true));
              }}
              className="rounded-md border border-amber-400 bg-white px-3 py-1 text-sm font-medium text-amber-900 hover:bg-amber-100"
            >
              {copied ? 'Copied' : 'Copy'}
            </button>
          </div>
        </div>
      ) : null}
      {keys.length === 0 ? (
        <p className="text-sm text-gray-600">No keys yet.</p>
      ) : (
        <ul
          className="divide-y divide-gray-100 rounded-md border border-gray-200"
          aria-label="API keys"
        >
          {keys.map((key) => (
            <li
              key={key.id}
              className="flex flex-wrap items-center justify-between gap-2 px-3 py-2 text-sm"
              data-testid="api-key-row"
            >
              <div className="min-w-0">
                <p className="font-medium text-gray-900">
                  {key.name}{' '}
                  <span className="ml-1 rounded-full bg-gray-100 px-2 py-0.5 text-xs font-medium text-gray-700">
                    {SCOPE_LABELS[key.scope].toLowerCase()}
                  </span>
                  {key.revokedAt ? (
                    <span className="ml-1 rounded-full bg-red-50 px-2 py-0.5 text-xs font-medium text-red-700">
                      revoked
                    </span>
                  ) : null}
                </p>
                <p className="text-xs text-gray-600">
                  <span className="font-mono">{key.prefix}…</span> · by{' '}
                  {key.createdByName ?? 'a former member'} · created {when(key.createdAt)} · last
                  used {when(key.lastUsedAt)}
                </p>
              </div>
              {key.revokedAt ? null : (
                <button
                  type="button"
                  onClick={() => onRevoke(key)}
                  disabled={pending}
                  className="rounded-md border border-gray-300 bg-white px-3 py-1 text-sm font-medium text-red-700 hover:bg-red-50"
                >
                  Revoke<span className="sr-only"> {key.name}</span>
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
