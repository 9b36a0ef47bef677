import Link from 'next/link';
import type { ComponentProps } from 'react';

/**
 * next/link for links to the workspace's pages (`/o/...`), which never prefetch. Those pages are
 * dynamic (every one authenticates and reads per request) and have no loading boundary, so a
 * prefetch is a server render whose result the navigation does not use: the click fetches the
 * page again. Measured on the large synthetic organization (bench/RESULTS.md, 2026-12-07,
 * bench/page-view-cost.ts): a dashboard or check-in view in a browser prefetched 18 to 22 links
 * in view and cost the server 2 to 2.4 times the CPU it costs without. Links to public pages
 * (sign-in, sign-up) keep next/link's prefetch: those are static.
 */
export function WorkspaceLink(props: Omit<ComponentProps<typeof Link>, 'prefetch'>) {
  return <Link {...props} prefetch={false} />;
}
