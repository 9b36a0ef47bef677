'use client';
// The organization's error boundary: a page that fails says so with a retry and a way home, never a
// stack trace or a page stuck on "Loading...". The server logs the error under its digest.
import { WorkspaceLink } from '@/components/layout/workspace-link';
import { useRouter } from 'next/navigation';
import { useTransition } from 'react';
import { Button } from '@/components/ui/button';

export default function OrgError({
  error,
  reset,
}: {
  error: Error & { digest?: string };
  reset: () => void;
}) {
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  // Server Components render again only after a refresh; reset() alone would replay the error.
  const retry = () =>
    startTransition(() => {
      router.refresh();
      reset();
    });
  return (
    <div className="mx-auto max-w-lg py-16 text-center" data-testid="org-error">
      <p className="text-sm font-semibold text-red-600">Something went wrong</p>
      <h1 className="mt-2 text-2xl font-semibold">This page could not be shown</h1>
      <p className="mt-2 text-sm text-gray-600">
        Try again in a moment. If it keeps happening, tell your administrator
        {error.digest ? ` the reference ${error.digest}` : ''}.
      </p>
      <div className="mt-6 flex flex-wrap items-center justify-center gap-3">
        <Button type="button" onClick={retry} disabled={pending}>
          {pending ? 'Trying again…' : 'Try again'}
        </Button>
        <WorkspaceLink
          href="/"
          className="rounded-md border border-gray-300 bg-white px-4 py-2 text-sm font-medium text-gray-800 shadow-sm hover:bg-gray-50"
        >
          Go home
        </WorkspaceLink>
      </div>
    </div>
  );
}
