/**
 * Skeleton while the dashboard renders on the server (cards, then tables). It sits in this route
 * group so it wraps the dashboard only: a Suspense boundary above the other pages would send their
 * notFound() with status 200 (streaming has begun), and a hidden KPI must answer 404.
 */
export default function Loading() {
  return (
    <div className="animate-pulse space-y-8" aria-busy="true" aria-live="polite">
      <span className="sr-only">Loading…</span>
      <div className="flex items-end justify-between">
        <div className="space-y-2">
          <div className="h-7 w-56 rounded bg-gray-200" />
          <div className="h-4 w-40 rounded bg-gray-100" />
        </div>
        <div className="h-9 w-48 rounded-md bg-gray-100" />
      </div>
      <div className="grid gap-4 md:grid-cols-2 xl:grid-cols-3">
        {[0, 1, 2].map((i) => (
          <div key={i} className="h-48 rounded-xl border border-gray-200 bg-white p-4 shadow-sm">
            <div className="h-3 w-24 rounded bg-gray-100" />
            <div className="mt-3 h-8 w-32 rounded bg-gray-200" />
            <div className="mt-4 h-2 w-full rounded-full bg-gray-100" />
            <div className="mt-6 h-10 w-full rounded bg-gray-50" />
          </div>
        ))}
      </div>
      <div className="h-64 rounded-xl border border-gray-200 bg-white shadow-sm" />
    </div>
  );
}
