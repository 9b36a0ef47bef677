import Link from 'next/link';
import type { ReactNode } from 'react';

export default function AuthLayout({ children }: { children: ReactNode }) {
  return (
    <main className="flex min-h-screen flex-col items-center justify-center px-4 py-12">
      <Link href="/" className="mb-8 flex items-center gap-2 text-lg font-semibold text-gray-900">
        <span aria-hidden className="grid h-8 w-8 place-items-center rounded-md bg-indigo-600 text-white">
          ▲
        </span>
        Cascade KPI
      </Link>
      <div className="w-full max-w-sm rounded-xl border border-gray-200 bg-white p-6 shadow-sm">{children}</div>
    </main>
  );
}
