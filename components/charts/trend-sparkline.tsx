'use client';

import { SparkAreaChart } from '@tremor/react';

export type TrendPoint = { label: string; value: number | null };

/** A small trend line for a KPI card (Tremor); numbers are for drawing only. */
export function TrendSparkline({ data, label, tall = false }: { data: TrendPoint[]; label: string; tall?: boolean }) {
  const points = data.map((p) => ({ period: p.label, Value: p.value }));
  const reported = data.filter((p) => p.value !== null).length;
  if (reported < 2) {
    return (
      <p className={`flex items-center rounded bg-gray-50 px-3 text-xs text-gray-500 ${tall ? 'h-10 md:h-24' : 'h-10'}`}>
        The trend appears once two periods have values.
      </p>
    );
  }
  return (
    <figure aria-label={label} className="m-0">
      <SparkAreaChart
        className={tall ? 'h-10 w-full md:h-24' : 'h-10 w-full'}
        data={points}
        index="period"
        categories={['Value']}
        colors={['indigo']}
        connectNulls
        autoMinValue
      />
      <figcaption className="sr-only">
        {label}: {reported} of {data.length} periods reported
      </figcaption>
    </figure>
  );
}
