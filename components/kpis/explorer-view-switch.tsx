'use client';

import { WorkspaceLink } from '@/components/layout/workspace-link';
import { usePathname, useSearchParams } from 'next/navigation';
import { explorerViewQuery, parseExplorerView } from '@/lib/domain/view-params/explorer';

type View = 'list' | 'map';

/**
 * "List | Map": links that keep the rest of the explorer's view (filters, search, folds) as the
 * URL has it now (filter changes on the list only change the URL), and set or drop `view`.
 */
export function ExplorerViewSwitch() {
  const pathname = usePathname();
  const current = parseExplorerView(useSearchParams());
  const href = (to: View) => {
    return `${pathname}${explorerViewQuery({ ...current, view: to })}`;
  };
  const item = (to: View, label: string) => (
    <WorkspaceLink
      href={href(to)}
      aria-current={current.view === to ? 'page' : undefined}
      className={`px-3 py-1.5 text-sm font-medium ${
        current.view === to ? 'bg-indigo-600 text-white' : 'bg-white text-gray-700 hover:bg-gray-50'
      }`}
    >
      {label}
    </WorkspaceLink>
  );
  return (
    <nav
      aria-label="Explorer view"
      className="inline-flex overflow-hidden rounded-md border border-gray-300 shadow-sm"
    >
      {item('list', 'List')}
      {item('map', 'Map')}
    </nav>
  );
}
