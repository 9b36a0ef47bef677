'use client';

import type { ReactNode } from 'react';

/** How long a fix link waits for a folded section to load the control it points at. */
const LOAD_WAIT_MS = 15_000;

/** Opens every <details> around `el`. */
function openAround(el: Element) {
  for (let parent = el.parentElement; parent; parent = parent.parentElement)
    if (parent instanceof HTMLDetailsElement) parent.open = true;
}

function reveal(target: HTMLElement) {
  openAround(target);
  target.scrollIntoView({ block: 'center' });
  target.focus({ preventScroll: true });
}

/** Resolves with the element of that id once it is in the document (null after `ms`). */
function whenPresent(id: string, ms: number): Promise<HTMLElement | null> {
  return new Promise((resolve) => {
    const observer = new MutationObserver(() => {
      const el = document.getElementById(id);
      if (!el) return;
      observer.disconnect();
      clearTimeout(timer);
      resolve(el);
    });
    const timer = setTimeout(() => {
      observer.disconnect();
      resolve(null);
    }, ms);
    observer.observe(document.body, { childList: true, subtree: true });
  });
}

/**
 * A link to an edit control on the same page: opens the collapsed section holding it, scrolls to
 * it and focuses it (plain fragment links leave a closed <details> closed in some browsers). A
 * section that loads its controls when opened names their ids in `data-fix-targets`: the link
 * opens it and waits for the control.
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
        const id = href.slice(1);
        const target = document.getElementById(id);
        const holder = target
          ? null
          : document.querySelector<HTMLDetailsElement>(`details[data-fix-targets~="${id}"]`);
        if (!target && !holder) return;
        e.preventDefault();
        history.replaceState(null, '', href);
        if (target) return reveal(target);
        holder!.open = true;
        holder!.scrollIntoView({ block: 'start' });
        void whenPresent(id, LOAD_WAIT_MS).then((el) => {
          if (el) reveal(el);
        });
      }}
      className="shrink-0 rounded-md border border-indigo-200 bg-white px-2 py-1 text-xs font-medium text-indigo-700 hover:bg-indigo-50 focus-visible:outline focus-visible:outline-2 focus-visible:outline-indigo-600"
    >
      {children}
    </a>
  );
}
