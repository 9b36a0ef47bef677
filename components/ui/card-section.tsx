import type { ReactNode } from 'react';

/**
 * A titled card on a settings-like page: heading, a line of explanation, then its body. With
 * `action` (a link or button) and no body, it is a one-line card leading to another page.
 */
export function CardSection({
  id,
  title,
  description,
  action,
  children,
  padded = true,
}: {
  /** Prefix of the heading's id (the section is labelled by it). */
  id: string;
  title: string;
  description: ReactNode;
  /** Shown at the end of the heading row, such as a link to the page that does the work. */
  action?: ReactNode;
  children?: ReactNode;
  /** False when the body pads itself (a list running edge to edge). */
  padded?: boolean;
}) {
  const body =
    children === undefined ? null : padded ? <div className="p-4">{children}</div> : children;
  return (
    <section
      className="rounded-xl border border-gray-200 bg-white shadow-sm"
      aria-labelledby={`${id}-heading`}
    >
      <div
        className={`flex flex-wrap items-center justify-between gap-3 px-4 py-3 ${
          body ? 'border-b border-gray-200' : ''
        }`}
      >
        <div>
          <h2 id={`${id}-heading`} className="font-semibold">
            {title}
          </h2>
          <p className="mt-0.5 text-xs text-gray-500">{description}</p>
        </div>
        {action}
      </div>
      {body}
    </section>
  );
}
