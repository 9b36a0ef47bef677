'use client';

import { LineChart } from '@tremor/react';

export type ActualVsTargetPoint = { period: string; Actual: number | null; Target: number | null };

/** Actual against target over periods (Tremor). Numbers here are for drawing only. */
export function ActualVsTargetChart({ data, unitSuffix }: { data: ActualVsTargetPoint[]; unitSuffix: string }) {
  const format = (v: number) => `${Intl.NumberFormat('en-US', { maximumFractionDigits: 2 }).format(v)}${unitSuffix}`;
  // Wide enough for the longest axis label (say "10,000,000 USD"), so labels are never cut off.
  const longest = Math.max(4, ...data.flatMap((p) => [p.Actual, p.Target]).map((v) => (v === null ? 0 : format(v).length)));
  return (
    <LineChart
      className="h-64"
      data={data}
      index="period"
      categories={['Actual', 'Target']}
      colors={['indigo', 'gray']}
      connectNulls={false}
      yAxisWidth={Math.min(140, 12 + longest * 7)}
      valueFormatter={format}
    />
  );
}
