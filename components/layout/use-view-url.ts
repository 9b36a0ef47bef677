'use client';

import { usePathname, useRouter } from 'next/navigation';
import { useCallback, useEffect, useRef, useState, useTransition } from 'react';

export type ViewUrl = {
  /** A discrete choice (a select, a button): a new history entry, so Back undoes it. */
  push: (query: string) => void;
  /** Typing and toggles: the current entry changes, so Back leaves the page as before. */
  replace: (query: string) => void;
  /**
   * The query in the browser's address bar now. A shallow page's useSearchParams follows it one
   * render later, so a change that builds on the current view reads it here.
   */
  current: () => URLSearchParams;
  /** A server render of the new view is under way (never for a shallow page). */
  pending: boolean;
};

const currentQuery = () => new URLSearchParams(window.location.search);

/**
 * Whether Next's router has taken over the history API yet. It patches pushState and
 * replaceState in an effect after hydration, and a page can answer a click before that runs: an
 * entry pushed by the browser's own pushState then carries no router state, the router ignores
 * Back to it, and the view stays as it was under the older URL (seen in the explorer's
 * filters).
 */
const routerOwnsHistory = () =>
  !Function.prototype.toString.call(window.history.pushState).includes('[native code]');

/**
 * Puts a page's view (filters, period, search, folds) in its URL, as a query string written by
 * that page's module in lib/domain/view-params. `shallow`: the page filters on the client, so
 * only the URL changes (the browser's history API, which Next's router keeps in step with
 * useSearchParams, Back and Forward) and the server is not asked again (but for a change made
 * before the router has taken the history API over, which goes through the router); otherwise
 * the server renders the new view in a transition while the current one stays on screen.
 */
export function useViewUrl({ shallow }: { shallow: boolean }): ViewUrl {
  const router = useRouter();
  const pathname = usePathname();
  const [pending, startTransition] = useTransition();
  const go = useCallback(
    (query: string, mode: 'push' | 'replace') => {
      const url = `${pathname}${query}`;
      // Before the router owns the history API, through the router (one server render).
      if (shallow && routerOwnsHistory()) {
        if (mode === 'push') window.history.pushState(null, '', url);
        else window.history.replaceState(null, '', url);
        return;
      }
      startTransition(() => router[mode](url, { scroll: false }));
    },
    [pathname, router, shallow],
  );
  return {
    push: useCallback((query: string) => go(query, 'push'), [go]),
    replace: useCallback((query: string) => go(query, 'replace'), [go]),
    current: currentQuery,
    pending,
  };
}

const normalize = (s: string) => s.replace(/\s+/g, ' ').trim();

/**
 * A search box kept in the URL: the box answers every keystroke, the URL follows `delayMs` after
 * the last one (through `write`, which should `replace`), and a URL changed by Back or Forward
 * puts its text back in the box.
 */
export function useUrlText(
  urlValue: string,
  write: (text: string) => void,
  delayMs = 300,
): [string, (text: string) => void] {
  const [text, setText] = useState(urlValue);
  const [seen, setSeen] = useState(urlValue);
  if (urlValue !== seen) {
    setSeen(urlValue);
    if (urlValue !== normalize(text)) setText(urlValue);
  }
  const latestWrite = useRef(write);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  useEffect(() => {
    latestWrite.current = write;
  });
  useEffect(() => () => clearTimeout(timer.current), []);
  const change = useCallback(
    (next: string) => {
      setText(next);
      clearTimeout(timer.current);
      timer.current = setTimeout(() => latestWrite.current(normalize(next)), delayMs);
    },
    [delayMs],
  );
  return [text, change];
}
