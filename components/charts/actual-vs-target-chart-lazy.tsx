'use client';

import dynamic from 'next/dynamic';
import type { ComponentProps } from 'react';
import type { ActualVsTargetChart } from './actual-vs-target-chart';
import { WhenVisible } from './when-visible';

type Props = ComponentProps<typeof ActualVsTargetChart>;

// The chart's height (legend, plot, note), held by the placeholder so nothing moves.
const placeholder = (
  <div className="h-64 w-full rounded bg-gray-50" aria-hidden data-chart-placeholder="" />
);

const Chart = dynamic<Props>(
  () => import('./actual-vs-target-chart').then((m) => m.ActualVsTargetChart),
  { ssr: false, loading: () => placeholder },
);

/**
 * The actual-against-target chart, its charting code (recharts via Tremor) fetched and run only
 * once the chart is about to scroll into view: the KPI page's first load and its hydration carry
 * none of it.
 */
export function LazyActualVsTargetChart(props: Props) {
  return (
    <WhenVisible placeholder={placeholder}>
      <Chart {...props} />
    </WhenVisible>
  );
}
