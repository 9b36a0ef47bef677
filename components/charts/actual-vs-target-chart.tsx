'use client';

import { LineChart } from '@tremor/react';

export type ActualVsTargetPoint = { period: string; Actual: number | null; Target: number | null };

/** Actual against target over periods (Tremor). Numbers here are for drawing only. */
export function ActualVsTargetChart({ data, unitSuffix }: { data: ActualVsTargetPoint[]; unitSuffix: string }) {
  return (
    <LineChart
      className="h-64"
      data={data}
      index="period"
      categories={['Actual', 'Target']}
      colors={['indigo', 'gray']}
      connectNulls={false}
      yAxisWidth={64}
      valueFormatter={(v: number) => `${Intl.NumberFormat('en-US', { maximumFractionDigits: 2 }).format(v)}${unitSuffix}`}
    />
  );
}
