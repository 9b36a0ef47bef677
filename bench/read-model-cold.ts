// `NODE_ENV=test DATABASE_URL=... npx tsx bench/read-model-cold.ts --slug <org> [--n 5]
// [--period quarter-2026-10-01]`: times the dashboard's read model computed cold (caches emptied
// before each run) for the org's owner, in process (no HTTP): getDashboardView of the period
// (default: the last complete month, with the open month next to it), which computes the
// org-wide models. Prints
// each run's wall time and this process's CPU time (the database's not included), and medians. NODE_ENV=test: the session seam (runWithSession) stands in for a cookie.
import { parseArgs } from 'node:util';
import { and, eq } from 'drizzle-orm';
import { getOwnerDb } from '@/db/client';
import { memberships, organizations, users } from '@/db/schema';
import { runWithSession } from '@/lib/auth/session';
import { clearDashboardCaches } from '@/lib/dal/dashboards/read-model';
import { getDashboardView } from '@/lib/dal/dashboards/dashboard';
import { resolveDashboardPeriod } from '@/lib/domain/dashboard/periods';
import { resolveOrgContext } from '@/lib/server/org-context';

const { values } = parseArgs({
  options: {
    slug: { type: 'string' },
    n: { type: 'string', default: '5' },
    period: { type: 'string' },
  },
});

async function main(): Promise<void> {
  const db = await getOwnerDb();
  const [owner] = await db
    .select({ userId: users.id, sessionVersion: users.sessionVersion })
    .from(memberships)
    .innerJoin(organizations, eq(organizations.id, memberships.orgId))
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(and(eq(organizations.slug, values.slug!), eq(memberships.role, 'owner')))
    .limit(1);
  if (!owner) throw new Error(`no owner for ${values.slug}`);
  const times: number[] = [];
  let periodKey = '';
  const cpu: number[] = [];
  await runWithSession(owner, async () => {
    const ctx = await resolveOrgContext(values.slug!);
    const period = resolveDashboardPeriod(values.period, ctx.org);
    periodKey = period.key;
    for (let i = 0; i < Number(values.n); i += 1) {
      clearDashboardCaches();
      const started = performance.now();
      const cpuStarted = process.cpuUsage();
      await getDashboardView(ctx, period);
      const used = process.cpuUsage(cpuStarted);
      times.push(performance.now() - started);
      cpu.push((used.user + used.system) / 1000);
    }
  });
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  console.log(
    `cold getDashboardView (${values.slug}, ${periodKey}): wall ${times.map((t) => t.toFixed(0)).join(', ')} ms, median ${median(times).toFixed(0)} ms; ` +
      `CPU of this process ${cpu.map((t) => t.toFixed(0)).join(', ')} ms, median ${median(cpu).toFixed(0)} ms`,
  );
  process.exit(0);
}

await main();
