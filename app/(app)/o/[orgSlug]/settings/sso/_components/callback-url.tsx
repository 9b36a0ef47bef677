'use client';

import { useSyncExternalStore } from 'react';

const never = () => () => {};

/** The callback URL to register at the provider: this app's address as the browser sees it. */
export function CallbackUrl({ path }: { path: string }) {
  // The server renders the path alone; the browser adds its origin.
  const origin = useSyncExternalStore(
    never,
    () => window.location.origin,
    () => '',
  );
  return (
    <div>
      <p className="text-sm font-medium text-gray-700" id="sso-callback-label">
        Redirect URL
      </p>
      <code
        aria-labelledby="sso-callback-label"
        data-testid="sso-callback-url"
        className="mt-1 block break-all rounded-md bg-gray-100 px-3 py-2 text-sm text-gray-900"
      >
        {origin}
        {path}
      </code>
    </div>
  );
}
