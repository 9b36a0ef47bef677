'use client';

import { WorkspaceLink } from '@/components/layout/workspace-link';
import { useState } from 'react';
import { useSaved } from '@/components/layout/use-saved';
import { FormAlert } from '@/components/ui/form-alert';
import { updateRequireAdminTotpAction } from '@/lib/actions/two-factor';

/** The organization's "require two-factor sign-in for owners and admins" switch. */
export function RequireTwoFactorForm({
  orgSlug,
  initial,
  securityHref,
}: {
  orgSlug: string;
  initial: boolean;
  securityHref: string;
}) {
  const afterSave = useSaved();
  const [on, setOn] = useState(initial);
  const [alert, setAlert] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);

  async function toggle(next: boolean) {
    setSaving(true);
    setAlert(null);
    setOn(next); // shown at once; put back if the server refuses
    try {
      const result = await updateRequireAdminTotpAction(orgSlug, { requireAdminTotp: next });
      if (!result.ok) {
        setOn(!next);
        setAlert(result.error.fieldErrors?.requireAdminTotp?.[0] ?? result.error.message);
        return;
      }
      setOn(result.data.requireAdminTotp);
      void afterSave();
    } finally {
      setSaving(false);
    }
  }

  return (
    <div className="space-y-3">
      <FormAlert message={alert} />
      <label className="flex items-start gap-3 text-sm text-gray-800">
        <input
          type="checkbox"
          className="mt-0.5 h-4 w-4 rounded border-gray-300 text-indigo-600"
          checked={on}
          disabled={saving}
          onChange={(e) => void toggle(e.target.checked)}
        />
        <span>
          Require two-factor sign-in for owners and admins
          <span className="block text-xs text-gray-500">
            An owner or admin without it is sent to set it up before anything else. Turn it on for
            yourself first on your{' '}
            <WorkspaceLink href={securityHref} className="font-medium text-indigo-700 hover:underline">
              security page
            </WorkspaceLink>
            .
          </span>
        </span>
      </label>
    </div>
  );
}
