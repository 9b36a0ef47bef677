'use client';

import type { ReactNode } from 'react';

/**
 * A link to an edit control on the same page: opens the collapsed section holding it, scrolls to
 * it and focuses it (plain fragment links leave a closed <details> closed in some browsers).
 */
export function SmartFixLink({
  href,
  children,
  label,
}: {
  href: string;
  children: ReactNode;
  label: string;
}) {
  return (
    <a
      href={href}
      aria-label={label}
      onClick={(e) => {
        if (!href.startsWith('#')) return;
        const target = document.getElementById(href.slice(1));
        if (!target) return;
        e.preventDefault();
        let parent = target.parentElement;
        while (parent) {
          if (parent instanceof HTMLDetailsElement) parent.open = true;
          parent = parent.parentElement;
        }
        target.scrollIntoView({ block: 'center' });
        target.focus({ preventScroll: true });
        history.replaceState(null, '', href);
      }}
      className="shrink-0 rounded-md border border-indigo-200 bg-white px-2 py-1 text-xs font-medium text-indigo-700 hover:bg-indigo-50 focus-visible:outline focus-visible:outline-2 focus-visible:outline-indigo-600"
    >
      {children}
    </a>
  );
}
