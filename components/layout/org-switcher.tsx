import Link from 'next/link';

type OrgLink = { slug: string; name: string };

/** Shows the current organization; people in several organizations can switch here. */
export function OrgSwitcher({ current, orgs }: { current: OrgLink; orgs: readonly OrgLink[] }) {
  if (orgs.length <= 1) {
    return <span className="truncate text-sm font-semibold text-gray-900">{current.name}</span>;
  }
  return (
    <details className="relative">
      <summary className="flex cursor-pointer list-none items-center gap-1 truncate rounded-md px-2 py-1 text-sm font-semibold hover:bg-gray-100">
        {current.name} <span aria-hidden className="text-gray-400">▾</span>
        <span className="sr-only">Switch organization</span>
      </summary>
      <ul className="absolute left-0 z-20 mt-2 w-64 rounded-lg border border-gray-200 bg-white p-1 shadow-lg">
        {orgs.map((org) => (
          <li key={org.slug}>
            <Link
              href={`/o/${org.slug}`}
              aria-current={org.slug === current.slug ? 'page' : undefined}
              className={`block truncate rounded-md px-3 py-2 text-sm hover:bg-gray-100 ${
                org.slug === current.slug ? 'font-semibold text-indigo-700' : 'text-gray-700'
              }`}
            >
              {org.name}
            </Link>
          </li>
        ))}
      </ul>
    </details>
  );
}
