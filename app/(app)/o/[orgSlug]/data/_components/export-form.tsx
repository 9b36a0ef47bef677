import { GetForm } from '@/components/ui/get-form';

/** A GET form (GetForm, `download`): the browser downloads the CSV the route answers with. */
export function ExportForm({
  action,
  units,
  defaultFrom,
  defaultTo,
}: {
  action: string;
  units: { id: string; name: string; depth: number }[];
  defaultFrom: string;
  defaultTo: string;
}) {
  const input =
    'mt-1 block w-full rounded-md border border-gray-300 px-3 py-2 text-sm shadow-sm focus:border-indigo-500 focus:outline-none focus:ring-1 focus:ring-indigo-500';
  return (
    <GetForm action={action} download className="mt-4 grid gap-3 sm:grid-cols-4 sm:items-end">
      <div>
        <label htmlFor="export-from" className="block text-sm font-medium text-gray-700">
          From
        </label>
        <input
          id="export-from"
          name="from"
          type="date"
          defaultValue={defaultFrom}
          className={input}
          required
        />
      </div>
      <div>
        <label htmlFor="export-to" className="block text-sm font-medium text-gray-700">
          To
        </label>
        <input
          id="export-to"
          name="to"
          type="date"
          defaultValue={defaultTo}
          className={input}
          required
        />
      </div>
      <div>
        <label htmlFor="export-unit" className="block text-sm font-medium text-gray-700">
          Scope
        </label>
        <select id="export-unit" name="unit" className={input} defaultValue="">
          <option value="">Whole organization</option>
          {units
            .filter((u) => u.depth > 0)
            .map((u) => (
              <option key={u.id} value={u.id}>
                {`${'  '.repeat(u.depth - 1)}${u.name}`}
              </option>
            ))}
        </select>
      </div>
      <button
        type="submit"
        className="rounded-md bg-indigo-600 px-4 py-2 text-sm font-medium text-white shadow-sm hover:bg-indigo-700 focus-visible:outline focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600"
      >
        Download CSV
      </button>
    </GetForm>
  );
}
