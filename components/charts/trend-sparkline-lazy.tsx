'use client';

import dynamic from 'next/dynamic';
import type { TrendPoint } from './trend-sparkline';

/**
 * The Tremor sparkline, loaded after the page is interactive: charting code (recharts) stays out
 * of the dashboard's first-load JavaScript. A same-sized placeholder keeps the layout still.
 */
export const LazyTrendSparkline = dynamic<{ data: TrendPoint[]; label: string; tall?: boolean }>(
  () => import('./trend-sparkline').then((m) => m.TrendSparkline),
  { ssr: false, loading: () => <div className="h-10 w-full rounded bg-gray-50" aria-hidden /> },
);
