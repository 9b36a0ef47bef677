import type { Metadata } from 'next';
import { connection } from 'next/server';

export const metadata: Metadata = { title: 'Status' };

/**
 * The smallest dynamic page of the app (rendered per request, no database): the framework's floor
 * that `npm run bench` compares the dashboards against.
 */
export default async function StatusPage() {
  await connection();
  return (
    <main className="mx-auto max-w-xl px-6 py-10">
      <h1 className="text-xl font-semibold">Cascade KPI is running</h1>
      <p className="mt-2 text-sm text-gray-600">Rendered at {new Date().toISOString()}.</p>
    </main>
  );
}
