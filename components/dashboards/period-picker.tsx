'use client';

import { usePathname, useRouter, useSearchParams } from 'next/navigation';
import { useTransition } from 'react';

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
 * Switches the dashboard's period through `?period=` with a client navigation (no full reload);
 * the server renders the new period while the current one stays on screen, dimmed.
 */
export function PeriodPicker({ value, options }: { value: string; options: PeriodPickerOption[] }) {
  const router = useRouter();
  const pathname = usePathname();
  const searchParams = useSearchParams();
  const [pending, startTransition] = useTransition();

  function select(key: string) {
    const params = new URLSearchParams(searchParams.toString());
    params.set('period', key);
    startTransition(() => router.push(`${pathname}?${params.toString()}`, { scroll: false }));
  }

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
