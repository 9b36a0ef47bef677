import Link from 'next/link';
import { redirect } from 'next/navigation';
import { getSessionClaims } from '@/lib/auth/session';
import { getActiveUser, getLandingOrgSlug } from '@/lib/dal/accounts';

export const dynamic = 'force-dynamic';

const FEATURES = [
  {
    title: 'Exact rollups',
    text: 'Team and individual KPIs roll up to the north star by sum, average, weighted average, min or max — in the same transaction as every check-in.',
  },
  {
    title: 'A dashboard per role',
    text: 'Admins see the company, department heads their subtree and who owns what, employees their own targets and how they feed the top.',
  },
  {
    title: 'Check-ins in seconds',
    text: 'Every value due this period on one screen, pre-filled with the last one, saved in one go.',
  },
];

export default async function LandingPage() {
  const claims = await getSessionClaims();
  if (claims && (await getActiveUser(claims))) {
    const slug = await getLandingOrgSlug(claims.userId, claims.sessionId);
    if (slug) redirect(`/o/${slug}`);
  }
  return (
    <main className="mx-auto flex min-h-screen max-w-5xl flex-col px-6 py-10">
      <header className="flex items-center justify-between">
        <span className="flex items-center gap-2 text-lg font-semibold">
          <span aria-hidden className="grid h-8 w-8 place-items-center rounded-md bg-indigo-600 text-white">
            ▲
          </span>
          Cascade KPI
        </span>
        <nav className="flex gap-3 text-sm">
          <Link href="/sign-in" className="rounded-md px-3 py-2 font-medium text-gray-700 hover:bg-gray-100">
            Sign in
          </Link>
          <Link href="/sign-up" className="rounded-md bg-indigo-600 px-3 py-2 font-medium text-white hover:bg-indigo-700">
            Get started
          </Link>
        </nav>
      </header>
      <section className="py-20 text-center sm:py-28">
        <h1 className="text-4xl font-bold tracking-tight sm:text-5xl">
          Every KPI, cascaded to your north star.
        </h1>
        <p className="mx-auto mt-6 max-w-2xl text-lg text-gray-600">
          Model your company, departments, teams and people. Assign owners, set targets, check in
          values, and watch them roll up exactly — with a dashboard for every role.
        </p>
        <div className="mt-10 flex justify-center gap-4">
          <Link href="/sign-up" className="rounded-md bg-indigo-600 px-5 py-3 text-sm font-semibold text-white shadow hover:bg-indigo-700">
            Create your organization
          </Link>
          <Link href="/sign-in" className="rounded-md border border-gray-300 bg-white px-5 py-3 text-sm font-semibold text-gray-800 hover:bg-gray-50">
            Sign in
          </Link>
        </div>
      </section>
      <section className="grid gap-6 sm:grid-cols-3">
        {FEATURES.map((f) => (
          <div key={f.title} className="rounded-xl border border-gray-200 bg-white p-6 shadow-sm">
            <h2 className="font-semibold">{f.title}</h2>
            <p className="mt-2 text-sm text-gray-600">{f.text}</p>
          </div>
        ))}
      </section>
    </main>
  );
}
