import Link from 'next/link';

/** The explorer's views; the choice lives in the URL (`?view=map`), so links and reloads keep it. */
export type ExplorerView = 'list' | 'map';

/** `?view=map` is the map; anything else the list. */
export function readExplorerView(
  query: Record<string, string | string[] | undefined>,
): ExplorerView {
  return query.view === 'map' ? 'map' : 'list';
}

/**
 * "List | Map": links that keep the rest of the query (filters) and set or drop `view`.
 */
export function ExplorerViewSwitch({
  base,
  view,
  query,
}: {
  base: string;
  view: ExplorerView;
  query: Record<string, string | string[] | undefined>;
}) {
  const href = (to: ExplorerView) => {
    const q = new URLSearchParams();
    for (const [k, v] of Object.entries(query)) {
      if (k === 'view' || v === undefined) continue;
      for (const one of Array.isArray(v) ? v : [v]) q.append(k, one);
    }
    if (to === 'map') q.set('view', 'map');
    const s = q.toString();
    return s ? `${base}?${s}` : base;
  };
  const item = (to: ExplorerView, label: string) => (
    <Link
      href={href(to)}
      aria-current={view === to ? 'page' : undefined}
      className={`px-3 py-1.5 text-sm font-medium ${
        view === to ? 'bg-indigo-600 text-white' : 'bg-white text-gray-700 hover:bg-gray-50'
      }`}
    >
      {label}
    </Link>
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
