import Link from 'next/link';

/** A settings card that leads to a sub-page: its title, one line on what it is, and the link. */
export function SettingsLinkCard({
  id,
  title,
  description,
  href,
  linkText,
}: {
  id: string;
  title: string;
  description: string;
  href: string;
  linkText: string;
}) {
  return (
    <section
      className="rounded-xl border border-gray-200 bg-white shadow-sm"
      aria-labelledby={`${id}-heading`}
    >
      <div className="flex flex-wrap items-center justify-between gap-3 px-4 py-3">
        <div>
          <h2 id={`${id}-heading`} className="font-semibold">
            {title}
          </h2>
          <p className="mt-0.5 text-xs text-gray-500">{description}</p>
        </div>
        <Link href={href} className="text-sm font-medium text-indigo-700 hover:underline">
          {linkText}
        </Link>
      </div>
    </section>
  );
}
