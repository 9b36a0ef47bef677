'use client';

import dynamic from 'next/dynamic';
import { useState, type ComponentProps, type ReactNode } from 'react';
import type { ActualVsTargetExplorer } from './actual-vs-target-explorer';

type ExplorerProps = ComponentProps<typeof ActualVsTargetExplorer>;

// The explorer's height (legend, plot, note), held while its code loads so nothing moves.
const loading = () => (
  <div className="h-64 w-full rounded bg-gray-50" aria-hidden data-chart-placeholder="" />
);

const Explorer = dynamic<ExplorerProps>(
  () => import('./actual-vs-target-explorer').then((m) => m.ActualVsTargetExplorer),
  { ssr: false, loading },
);

/**
 * The KPI page's "Actual vs target" card: the server-drawn chart (`chart`), and on request the
 * same data explored interactively (Tremor, fetched only then: the page's first load carries no
 * charting code). The button says which one is shown.
 */
export function ExplorableChart({
  title,
  chart,
  explorer,
}: {
  title: string;
  chart: ReactNode;
  explorer: ExplorerProps;
}) {
  const [exploring, setExploring] = useState(false);
  return (
    <>
      <div className="mb-2 flex flex-wrap items-baseline justify-between gap-x-4 gap-y-1">
        <h2 className="font-semibold">{title}</h2>
        <button
          type="button"
          aria-pressed={exploring}
          onClick={() => setExploring((on) => !on)}
          className="rounded text-sm font-medium text-indigo-700 hover:underline focus-visible:outline focus-visible:outline-2 focus-visible:outline-indigo-600"
          data-testid="kpi-chart-explore"
        >
          {exploring ? 'Back to the chart' : 'Explore values'}
        </button>
      </div>
      {exploring ? (
        <div data-testid="kpi-chart-explorer">
          <Explorer {...explorer} />
        </div>
      ) : (
        chart
      )}
    </>
  );
}
