// `NODE_ENV=test DATABASE_URL=... npx tsx bench/read-model-cold.ts --slug <org> [--n 5]
// [--period quarter-2026-10-01] [--after-checkin] [--profile FILE]`: times the dashboard's read
// model computed cold (caches emptied before each run, the projections' memo included) for the
// org's owner, in process (no HTTP): getDashboardView of the period (default: the last complete
// month, with the open month next to it), which computes the org-wide models. With
// `--after-checkin`, each cold run is followed by one check-in (the owner's, today, on a manual
// monthly KPI deep in the tree) and the rebuild it causes (the data version changed, so the
// models are computed again; whatever else is cached stays): the first dashboard view after a
// write. Prints each run's wall time and this process's CPU time (the database's not included),
// and medians. `--profile FILE` writes a V8 CPU profile of the timed runs (the rebuilds after a
// check-in only, with --after-checkin; bench/cpu-profile-summary.ts reads it). NODE_ENV=test: the session seam (runWithSession)
// stands in for a cookie.
import fs from 'node:fs';
import { Session } from 'node:inspector/promises';
import { parseArgs } from 'node:util';
import { and, asc, eq, isNull, sql } from 'drizzle-orm';
import { getOwnerDb } from '@/db/client';
import { kpis, memberships, organizations, users } from '@/db/schema';
import { recordCheckinAction } from '@/lib/actions/checkins';
import { runWithSession } from '@/lib/auth/session';
import { clearDashboardCaches } from '@/lib/dal/dashboards/read-model';
import { getDashboardView } from '@/lib/dal/dashboards/dashboard';
import { resolveDashboardPeriod } from '@/lib/domain/dashboard/periods';
import { todayInTimeZone } from '@/lib/domain/dates';
import { resolveOrgContext } from '@/lib/server/org-context';

const { values } = parseArgs({
  options: {
    slug: { type: 'string' },
    n: { type: 'string', default: '5' },
    period: { type: 'string' },
    'after-checkin': { type: 'boolean', default: false },
    profile: { type: 'string' },
  },
});

type Run = { wall: number; cpu: number };

async function timed(fn: () => Promise<unknown>): Promise<Run> {
  const started = performance.now();
  const cpuStarted = process.cpuUsage();
  await fn();
  const used = process.cpuUsage(cpuStarted);
  return { wall: performance.now() - started, cpu: (used.user + used.system) / 1000 };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

function line(what: string, runs: Run[]): string {
  const wall = runs.map((r) => r.wall);
  const cpu = runs.map((r) => r.cpu);
  return (
    `${what}: wall ${wall.map((t) => t.toFixed(0)).join(', ')} ms, median ${median(wall).toFixed(0)} ms; ` +
    `CPU of this process ${cpu.map((t) => t.toFixed(0)).join(', ')} ms, median ${median(cpu).toFixed(0)} ms`
  );
}

async function main(): Promise<void> {
  const db = await getOwnerDb();
  const [owner] = await db
    .select({ orgId: organizations.id, userId: users.id, sessionVersion: users.sessionVersion })
    .from(memberships)
    .innerJoin(organizations, eq(organizations.id, memberships.orgId))
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(and(eq(organizations.slug, values.slug!), eq(memberships.role, 'owner')))
    .limit(1);
  if (!owner) throw new Error(`no owner for ${values.slug}`);
  // a manual monthly KPI with a parent, the same one every run (by id)
  const [target] = values['after-checkin']
    ? await db
        .select({ id: kpis.id, name: kpis.name })
        .from(kpis)
        .where(
          and(
            eq(kpis.orgId, owner.orgId),
            eq(kpis.rollup, 'manual'),
            eq(kpis.cadence, 'month'),
            isNull(kpis.archivedOn),
            sql`${kpis.parentId} is not null`,
          ),
        )
        .orderBy(asc(kpis.id))
        .limit(1)
    : [];
  const cold: Run[] = [];
  const after: Run[] = [];
  let periodKey = '';
  const session = values.profile ? new Session() : null;
  if (session) {
    session.connect();
    await session.post('Profiler.enable');
  }
  const profiled = async (fn: () => Promise<unknown>) => {
    if (session) await session.post('Profiler.start');
    const run = await timed(fn);
    if (session) {
      const { profile } = await session.post('Profiler.stop');
      profiles.push(profile);
    }
    return run;
  };
  const profiles: unknown[] = [];
  await runWithSession(owner, async () => {
    const ctx = await resolveOrgContext(values.slug!);
    const period = resolveDashboardPeriod(values.period, ctx.org);
    periodKey = period.key;
    for (let i = 0; i < Number(values.n); i += 1) {
      clearDashboardCaches();
      const view = () => getDashboardView(ctx, period);
      cold.push(await (target ? timed(view) : profiled(view)));
      if (!target) continue;
      const saved = await recordCheckinAction(values.slug!, {
        kpiId: target.id,
        observedOn: todayInTimeZone(ctx.org.timeZone),
        value: String(10 + i),
      });
      if (!saved.ok) throw new Error(`check-in refused: ${JSON.stringify(saved)}`);
      after.push(await profiled(view));
    }
  });
  // the last run's profile (the first ones warm the JIT up)
  if (session) fs.writeFileSync(values.profile!, JSON.stringify(profiles.at(-1)));
  console.log(line(`cold getDashboardView (${values.slug}, ${periodKey})`, cold));
  if (target) console.log(line(`after one check-in on "${target.name}"`, after));
  process.exit(0);
}

await main();
