'use client';

import dynamic from 'next/dynamic';
import { useState } from 'react';

/*
 * "+ New organization" in the switcher: the form (with its validation rules) loads only when the
 * person opens it, so the switcher on every page costs no first-load JavaScript for it.
 */
const NewOrganizationForm = dynamic(
  () => import('./new-organization-form').then((m) => m.NewOrganizationForm),
  { ssr: false, loading: () => <p className="text-sm text-gray-500">Loading…</p> },
);

export function NewOrganizationDisclosure() {
  const [open, setOpen] = useState(false);
  return (
    <details
      className="mt-1 border-t border-gray-100 pt-1"
      onToggle={(e) => setOpen(e.currentTarget.open)}
    >
      <summary className="cursor-pointer list-none rounded-md px-3 py-2 text-sm font-medium text-indigo-700 hover:bg-gray-100">
        + New organization
      </summary>
      <div className="px-3 pb-3 pt-1">{open ? <NewOrganizationForm /> : null}</div>
    </details>
  );
}
