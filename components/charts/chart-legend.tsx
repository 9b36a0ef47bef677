/*
 * The legend of the KPI page's actual-vs-target chart, shared by the server-drawn chart and its
 * interactive explorer: our own list (Tremor 4 beta's legend puts a <div> straight inside its
 * <ol>), the actual solid indigo and the target dashed grey, told apart by more than colour.
 */

/** The two series: their names (data keys), Tremor colours and legend swatches. */
export const CHART_SERIES = [
  { name: 'Actual', color: 'indigo', swatch: 'border-solid border-indigo-500' },
  { name: 'Target', color: 'gray', swatch: 'border-dashed border-gray-500' },
] as const;

/** The unit named once ("in USD") and the legend, above the plot. */
export function ChartLegend({ unitName }: { unitName: string | null }) {
  return (
    <div className="mb-1 flex flex-wrap items-center justify-between gap-x-4 gap-y-1 text-sm text-gray-500">
      <span>{unitName ? `in ${unitName}` : null}</span>
      <ul aria-label="Legend" className="flex flex-wrap gap-x-4 gap-y-1">
        {CHART_SERIES.map((s) => (
          <li key={s.name} className="inline-flex items-center gap-1.5">
            <span aria-hidden className={`w-4 shrink-0 border-t-2 ${s.swatch}`} />
            {s.name}
          </li>
        ))}
      </ul>
    </div>
  );
}
