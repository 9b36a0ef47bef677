'use client';

import { useRouter, useSearchParams } from 'next/navigation';
import type { ComponentProps, FormEvent } from 'react';
import { toQueryString } from '@/lib/domain/view-params/query';

/**
 * A filter or search form that reads a page's view from its URL (method GET), sent without its
 * empty fields (`?person=…` rather than `?person=…&kind=&from=&to=`) and opened in place through
 * the router, as a link of the app would be. `download`: the address answers with a file (a CSV
 * export), which the browser downloads while the page stays. Without JavaScript it is a plain GET
 * form. It is drawn anew whenever the URL's query changes (Back, Forward, a Clear link), so its
 * fields always show the view the page shows.
 */
export function GetForm({
  download = false,
  ...props
}: Omit<ComponentProps<'form'>, 'method' | 'onSubmit' | 'action'> & {
  /** The page or route the form opens; the current page when absent. */
  action?: string;
  download?: boolean;
}) {
  const router = useRouter();
  const search = useSearchParams().toString();
  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    const form = event.currentTarget;
    event.preventDefault();
    // `form.action` is the resolved address (the page's own when the attribute is absent).
    const path = new URL(form.action, window.location.href).pathname;
    const fields = [...new FormData(form)].map(
      ([name, value]) => [name, typeof value === 'string' ? value : undefined] as const,
    );
    const url = `${path}${toQueryString(fields)}`;
    if (download) {
      // A route answering with a file, not a page: the browser downloads it and the page stays.
      // eslint-disable-next-line @next/next/no-location-assign-relative-destination
      window.location.assign(url);
    } else router.push(url);
  };
  return <form key={search} {...props} method="get" onSubmit={onSubmit} />;
}
