import { WorkspaceLink } from './workspace-link';

/**
 * Where a paged list is ("101–200 of 2000") and its Previous and Next links, under the list; shown
 * only when there is more than one page. `href(page)` is the list's address at that page.
 */
export function Pager({
  label,
  page,
  pages,
  first,
  count,
  total,
  href,
}: {
  /** The navigation's accessible name, such as "Members pages". */
  label: string;
  page: number;
  pages: number;
  /** Index of the page's first row, and how many the page shows, of `total`. */
  first: number;
  count: number;
  total: number;
  href: (page: number) => string;
}) {
  if (pages <= 1) return null;
  const link =
    'rounded-md border border-gray-300 bg-white px-3 py-1.5 font-medium text-gray-800 shadow-sm hover:bg-gray-50';
  return (
    <nav
      aria-label={label}
      className="flex flex-wrap items-center justify-between gap-2 border-t border-gray-200 px-4 py-3 text-sm text-gray-700 sm:px-5"
    >
      <span data-testid="pager-range">
        {first + 1}–{first + count} of {total}
      </span>
      <span className="flex gap-2">
        {page > 1 ? (
          <WorkspaceLink href={href(page - 1)} className={link}>
            Previous
          </WorkspaceLink>
        ) : null}
        {page < pages ? (
          <WorkspaceLink href={href(page + 1)} className={link}>
            Next
          </WorkspaceLink>
        ) : null}
      </span>
    </nav>
  );
}
