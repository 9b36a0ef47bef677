import type { SelectHTMLAttributes } from 'react';
import type { UnitOptionDto } from '@/lib/dal/people/members';

/** Units in tree order, indented by depth. */
export function UnitOptions({ units }: { units: readonly UnitOptionDto[] }) {
  return (
    <>
      {units.map((unit) => (
        <option key={unit.id} value={unit.id}>
          {`${'\u00a0\u00a0\u00a0'.repeat(unit.depth)}${unit.name}`}
        </option>
      ))}
    </>
  );
}

export const selectClass =
  'block w-full rounded-md border border-gray-300 bg-white px-3 py-2 text-sm shadow-sm focus:border-indigo-500 focus:outline-none focus:ring-1 focus:ring-indigo-500 disabled:bg-gray-50 disabled:text-gray-500';

export function Select({ className = '', ...props }: SelectHTMLAttributes<HTMLSelectElement>) {
  return <select className={`${selectClass} ${className}`} {...props} />;
}
