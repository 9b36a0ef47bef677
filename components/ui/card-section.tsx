import type { ReactNode } from 'react';

/** A titled card on a settings-like page: heading, a line of explanation, then its body. */
export function CardSection({
  id,
  title,
  description,
  children,
  padded = true,
}: {
  /** Prefix of the heading's id (the section is labelled by it). */
  id: string;
  title: string;
  description: ReactNode;
  children: ReactNode;
  /** False when the body pads itself (a list running edge to edge). */
  padded?: boolean;
}) {
  return (
    <section
      className="rounded-xl border border-gray-200 bg-white shadow-sm"
      aria-labelledby={`${id}-heading`}
    >
      <div className="border-b border-gray-200 px-4 py-3">
        <h2 id={`${id}-heading`} className="font-semibold">
          {title}
        </h2>
        <p className="mt-0.5 text-xs text-gray-500">{description}</p>
      </div>
      {padded ? <div className="p-4">{children}</div> : children}
    </section>
  );
}
