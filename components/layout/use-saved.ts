'use client';

import { useQueryClient } from '@tanstack/react-query';
import { useParams } from 'next/navigation';
import { useCallback } from 'react';

/**
 * The one thing a client component does after a successful save. The page itself is already
 * fresh: the action pipeline (lib/server/org-action.ts) revalidates the organization's pages and
 * the action's response carries the new render. What that cannot reach is the org's React Query
 * data (keys `[name, orgSlug, ...]`), so this marks it stale and refetches what is on screen.
 * Call this, never `router.refresh()`: a second refresh would only render the page again.
 */
export function useSaved(): () => Promise<void> {
  const queryClient = useQueryClient();
  const { orgSlug } = useParams<{ orgSlug?: string }>();
  return useCallback(
    () =>
      queryClient.invalidateQueries(
        orgSlug ? { predicate: (query) => query.queryKey[1] === orgSlug } : undefined,
      ),
    [queryClient, orgSlug],
  );
}
