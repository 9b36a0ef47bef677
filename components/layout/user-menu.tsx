'use client';

import { WorkspaceLink } from '@/components/layout/workspace-link';
import { useState } from 'react';
import { signOutEverywhereAction } from '@/lib/actions/auth';

/**
 * Signs this browser out through next-auth's client, loaded on the click: every signed-in page
 * carries this menu, and none needs next-auth's client code until someone signs out.
 */
async function signOut() {
  const { signOut: nextAuthSignOut } = await import('next-auth/react');
  await nextAuthSignOut({ callbackUrl: '/sign-in' });
}

/** The signed-in person, sign-out, and sign-out of every browser and device at once. */
export function UserMenu({
  name,
  email,
  securityHref,
}: {
  name: string;
  email: string;
  /** The person's security page (two-factor sign-in). */
  securityHref: string;
}) {
  const [pending, setPending] = useState(false);

  async function signOutEverywhere() {
    setPending(true);
    // Whatever the answer, this browser signs out too (its session is among those ended).
    await signOutEverywhereAction().catch(() => undefined);
    await signOut();
  }

  return (
    <details className="relative">
      <summary
        className="flex cursor-pointer list-none items-center gap-2 rounded-md px-2 py-1 text-sm hover:bg-gray-100"
        // The visible name starts the accessible name (WCAG 2.5.3 label in name).
        aria-label={`${name}, account menu`}
      >
        {/* A decorative avatar: the initial is drawn by CSS, so it is not part of the label. */}
        <span
          aria-hidden
          data-initial={name.slice(0, 1).toUpperCase()}
          className="grid h-8 w-8 place-items-center rounded-full bg-indigo-100 font-semibold text-indigo-700 before:content-[attr(data-initial)]"
        />
        <span className="hidden max-w-[10rem] truncate sm:inline">{name}</span>
      </summary>
      <div className="absolute right-0 z-20 mt-2 w-60 rounded-lg border border-gray-200 bg-white p-2 shadow-lg">
        <p className="truncate px-2 py-1 text-sm font-medium">{name}</p>
        <p className="truncate px-2 pb-2 text-xs text-gray-500">{email}</p>
        <WorkspaceLink
          href={securityHref}
          // The menu stays open across a client navigation unless closed here.
          onClick={(e) => e.currentTarget.closest('details')?.removeAttribute('open')}
          className="block w-full rounded-md px-2 py-2 text-left text-sm text-gray-700 hover:bg-gray-100"
        >
          Security
          <span className="block text-xs text-gray-500">Two-factor sign-in</span>
        </WorkspaceLink>
        <button
          type="button"
          onClick={() => void signOut()}
          className="w-full rounded-md px-2 py-2 text-left text-sm text-gray-700 hover:bg-gray-100"
        >
          Sign out
        </button>
        <button
          type="button"
          disabled={pending}
          onClick={() => void signOutEverywhere()}
          className="w-full rounded-md px-2 py-2 text-left text-sm text-gray-700 hover:bg-gray-100 disabled:opacity-60"
        >
          {pending ? 'Signing out everywhere…' : 'Sign out everywhere'}
          <span className="block text-xs text-gray-500">Every browser and device you use</span>
        </button>
      </div>
    </details>
  );
}
