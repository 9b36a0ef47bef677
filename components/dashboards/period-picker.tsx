'use client';

import { useViewUrl } from '@/components/layout/use-view-url';
import { dashboardViewQuery } from '@/lib/domain/view-params/dashboard';

export type PeriodPickerOption = {
  key: string;
  label: string;
  cadence: 'month' | 'quarter' | 'year';
  isCurrent: boolean;
};

const GROUPS = [
  { cadence: 'month', label: 'Months' },
  { cadence: 'quarter', label: 'Quarters' },
  { cadence: 'year', label: 'Years' },
] as const;

/**
 * Switches the dashboard's period through `?period=` (lib/domain/view-params/dashboard.ts) with a
 * client navigation that adds a history entry (Back returns to the period before); the server
 * renders the new period while the current one stays on screen.
 */
export function PeriodPicker({ value, options }: { value: string; options: PeriodPickerOption[] }) {
  const { push, pending } = useViewUrl({ shallow: false });
  const select = (key: string) => push(dashboardViewQuery({ period: key }));

  return (
    <div className="flex items-center gap-2">
      <label htmlFor="dashboard-period" className="text-sm font-medium text-gray-700">
        Period
      </label>
      <select
        id="dashboard-period"
        value={value}
        onChange={(e) => select(e.target.value)}
        aria-busy={pending}
        className="rounded-md border border-gray-300 bg-white py-1.5 pl-3 pr-8 text-sm shadow-sm focus:border-indigo-500 focus:outline-none focus:ring-2 focus:ring-indigo-500"
      >
        {GROUPS.map((group) => (
          <optgroup key={group.cadence} label={group.label}>
            {options
              .filter((o) => o.cadence === group.cadence)
              .map((o) => (
                <option key={o.key} value={o.key}>
                  {o.label}
                  {o.isCurrent ? ' (so far)' : ''}
                </option>
              ))}
          </optgroup>
        ))}
      </select>
      {pending ? (
        <span className="text-xs text-gray-500" role="status">
          Loading…
        </span>
      ) : null}
    </div>
  );
}
