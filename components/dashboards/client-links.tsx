'use client';

import { useRouter } from 'next/navigation';
import type { MouseEvent, ReactNode } from 'react';
import { inPlaceHref } from './in-place-href';

function linkOf(event: MouseEvent): HTMLAnchorElement | null {
  const target = event.target;
  return target instanceof Element ? target.closest('a[href]') : null;
}

/**
 * Client navigation for the plain links inside it, one listener for all of them: the dashboard's
 * rows link with `<a>` (server markup) instead of next/link, whose every instance is a client
 * component the server renders and the browser hydrates (about 70 on an owner's dashboard). A
 * click opens the page through the router, as next/link would (new tabs and other origins stay
 * the browser's). Nothing is prefetched: the pages are dynamic, and the click would fetch the page
 * again anyway (components/layout/workspace-link.tsx). Without JavaScript the links still work.
 * React's own events, so a next/link inside (which handles its click first and marks it handled)
 * is left alone.
 */
export function ClientLinks({ className, children }: { className?: string; children: ReactNode }) {
  const router = useRouter();
  const onClick = (event: MouseEvent) => {
    const link = linkOf(event);
    if (!link) return;
    const href = inPlaceHref(
      {
        href: link.href,
        target: link.target,
        download: link.hasAttribute('download'),
        button: event.button,
        modified: event.metaKey || event.ctrlKey || event.shiftKey || event.altKey,
        defaultPrevented: event.defaultPrevented,
      },
      window.location.origin,
    );
    if (href === null) return;
    event.preventDefault();
    router.push(href);
  };
  return (
    // Keyboard users reach every link inside by Tab and open it with Enter, which clicks it: the
    // handler only routes what the links themselves already do.
    <div className={className} onClick={onClick}>
      {children}
    </div>
  );
}
