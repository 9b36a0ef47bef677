import { WorkspaceLink } from '@/components/layout/workspace-link';
import type { ReactNode } from 'react';

/** A white card with a heading row, the building block of every dashboard section. */
export function SectionCard({
  title,
  description,
  action,
  children,
  id,
}: {
  title: string;
  description?: string;
  action?: ReactNode;
  children: ReactNode;
  id?: string;
}) {
  const headingId = id ? `${id}-heading` : undefined;
  return (
    <section
      id={id}
      aria-labelledby={headingId}
      className="rounded-xl border border-gray-200 bg-white shadow-sm"
    >
      <div className="flex flex-wrap items-start justify-between gap-2 border-b border-gray-200 px-4 py-3">
        <div>
          <h3 id={headingId} className="font-semibold text-gray-900">
            {title}
          </h3>
          {description ? <p className="mt-0.5 text-xs text-gray-500">{description}</p> : null}
        </div>
        {action}
      </div>
      {children}
    </section>
  );
}

/**
 * Under a bounded dashboard list: how many there are in all and a link to see every one of them
 * (the explorer filtered to exactly what the list counted). Nothing when the list is complete.
 */
export function SeeAll({
  shown,
  total,
  href,
  noun,
}: {
  shown: number;
  total: number;
  href: string;
  noun: string;
}) {
  if (total <= shown) return null;
  return (
    <p className="border-t border-gray-100 px-4 py-2 text-sm text-gray-600" data-testid="see-all">
      Showing {shown} of <span className="tabular-nums">{total}</span> {noun}.{' '}
      <WorkspaceLink href={href} className="font-medium text-indigo-700 hover:text-indigo-900">
        See all {total}
      </WorkspaceLink>
    </p>
  );
}
