'use client';

import { SparkAreaChart } from '@tremor/react';
import { splitPartial, type TrendPoint } from './trend-points';

export type { TrendPoint };

/** A small trend line for a KPI card (Tremor); numbers are for drawing only. */
export function TrendSparkline({
  data,
  label,
  tall = false,
}: {
  data: TrendPoint[];
  label: string;
  tall?: boolean;
}) {
  const points = splitPartial(data);
  const reported = data.filter((p) => p.value !== null).length;
  const partial = data.find((p) => p.partial && p.value !== null);
  if (reported < 2) {
    return (
      <p
        className={`flex items-center rounded bg-gray-50 px-3 text-xs text-gray-500 ${tall ? 'h-10 md:h-24' : 'h-10'}`}
      >
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
        categories={partial ? ['Value', 'So far'] : ['Value']}
        colors={partial ? ['indigo', 'slate'] : ['indigo']}
        connectNulls
        autoMinValue
      />
      {partial ? (
        <p aria-hidden className="mt-0.5 text-right text-[11px] text-gray-500">
          <span className="mr-1 inline-block h-0 w-3 border-t-2 border-dotted border-slate-400 align-middle" />
          {partial.label} so far
        </p>
      ) : null}
      <figcaption className="sr-only">
        {label}: {reported} of {data.length} periods reported
        {partial ? `; ${partial.label} is still open (so far)` : ''}
      </figcaption>
    </figure>
  );
}
