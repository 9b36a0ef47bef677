import { WorkspaceLink } from '@/components/layout/workspace-link';
import type { ReactNode } from 'react';

/** The heading of a page under Settings: the way back, its title and what it is for. */
export function SettingsSubpageHeader({
  orgSlug,
  title,
  children,
}: {
  orgSlug: string;
  title: string;
  children: ReactNode;
}) {
  return (
    <div>
      <WorkspaceLink href={`/o/${orgSlug}/settings`} className="text-sm text-indigo-700 hover:underline">
        ← Settings
      </WorkspaceLink>
      <h1 className="mt-1 text-2xl font-semibold">{title}</h1>
      <p className="mt-1 text-sm text-gray-600">{children}</p>
    </div>
  );
}
