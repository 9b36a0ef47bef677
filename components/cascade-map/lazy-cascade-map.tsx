'use client';

import dynamic from 'next/dynamic';
import type { MapSlice } from '@/lib/domain/cascade-map';

/**
 * The cascade map, loaded only when the map view is open: React Flow and dagre stay out of the
 * explorer's first load. Client-only: the layout needs the browser's canvas size.
 */
const CascadeMap = dynamic(() => import('./cascade-map'), {
  ssr: false,
  loading: () => (
    <p
      className="rounded-xl border border-gray-200 bg-white p-6 text-sm text-gray-600"
      role="status"
    >
      Loading the map…
    </p>
  ),
});

export function LazyCascadeMap(props: { orgSlug: string; initial: MapSlice }) {
  return <CascadeMap {...props} />;
}
