'use client';

import { LineChart } from '@tremor/react';

export type ActualVsTargetPoint = { period: string; Actual: number | null; Target: number | null };

// Our own legend: Tremor 4 beta's legend puts a <div> straight inside its <ol> (invalid list
// markup for screen readers). Dots match the line colours passed to the chart below.
const SERIES = [
  { name: 'Actual', color: 'indigo', dot: 'bg-indigo-500' },
  { name: 'Target', color: 'gray', dot: 'bg-gray-500' },
] as const;

/** Actual against target over periods (Tremor). Numbers here are for drawing only. */
export function ActualVsTargetChart({
  data,
  unitSuffix,
}: {
  data: ActualVsTargetPoint[];
  unitSuffix: string;
}) {
  const format = (v: number) =>
    `${Intl.NumberFormat('en-US', { maximumFractionDigits: 2 }).format(v)}${unitSuffix}`;
  // Wide enough for the longest axis label (say "10,000,000 USD"), so labels are never cut off.
  const longest = Math.max(
    4,
    ...data.flatMap((p) => [p.Actual, p.Target]).map((v) => (v === null ? 0 : format(v).length)),
  );
  return (
    <div>
      <ul
        aria-label="Legend"
        className="mb-1 flex flex-wrap justify-end gap-x-4 gap-y-1 text-sm text-gray-500"
      >
        {SERIES.map((s) => (
          <li key={s.name} className="inline-flex items-center gap-1.5">
            <span aria-hidden className={`h-2 w-2 shrink-0 rounded-full ${s.dot}`} />
            {s.name}
          </li>
        ))}
      </ul>
      <LineChart
        className="h-56"
        data={data}
        index="period"
        categories={SERIES.map((s) => s.name)}
        colors={SERIES.map((s) => s.color)}
        showLegend={false}
        connectNulls={false}
        yAxisWidth={Math.min(140, 12 + longest * 7)}
        valueFormatter={format}
      />
    </div>
  );
}
