// `NODE_ENV=test DATABASE_URL=... node --expose-gc --import tsx bench/read-model-heap.ts --slug <org>`:
// the heap the dashboard caches really retain against what they estimate (the estimate is what
// bounds them). For the org's owner, member and a department lead in turn (when the org has one),
// in process: the open month's dashboard, then a complete month's (a second model), each measured
// as the heap still used after a full garbage collection, minus the heap before it. NODE_ENV=test:
// the session seam (runWithSession) stands in for a cookie.
import { parseArgs } from 'node:util';
import { runWithSession } from '@/lib/auth/session';
import { getDashboardView } from '@/lib/dal/dashboards/dashboard';
import { clearDashboardCaches, dashboardCacheStats } from '@/lib/dal/dashboards/read-model';
import { listPeriodOptions, resolveDashboardPeriod } from '@/lib/domain/dashboard/periods';
import { resolveOrgContext } from '@/lib/server/org-context';
import { listOrgPeople } from './support/org-people';

const { values } = parseArgs({ options: { slug: { type: 'string' } } });
const slug = values.slug!;
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with node --expose-gc');
const mb = (bytes: number) => `${(bytes / 2 ** 20).toFixed(1)} MB`;

function liveHeap(): number {
  gc!();
  gc!();
  return process.memoryUsage().heapUsed;
}

async function main(): Promise<void> {
  const people = await listOrgPeople(slug);
  const owner = people.find((p) => p.role === 'owner');
  const member = people.find((p) => p.role === 'member');
  if (!owner || !member) throw new Error(`no owner or member in ${slug}`);
  clearDashboardCaches();
  const before = liveHeap();
  const report = (what: string) => {
    const live = liveHeap() - before;
    const s = dashboardCacheStats();
    const estimated = s.models.bytes + s.views.bytes;
    console.log(
      `${what.padEnd(44)} heap retained ${mb(live).padStart(9)}; estimated ${mb(estimated).padStart(9)} ` +
        `(models ${s.models.entries}: ${mb(s.models.bytes)}, views ${s.views.entries}: ${mb(s.views.bytes)}); ` +
        `retained / estimated ${(live / estimated).toFixed(2)}`,
    );
  };
  for (const [label, person] of [
    ['owner', owner],
    ['member', member],
  ] as const) {
    await runWithSession(person, async () => {
      const ctx = await resolveOrgContext(slug);
      const open = resolveDashboardPeriod(undefined, ctx.org);
      await getDashboardView(ctx, open);
      report(`+ ${label}, open month`);
      const complete = listPeriodOptions(ctx.org).find(
        (o) => o.cadence === 'month' && !o.isCurrent,
      );
      if (complete) {
        await getDashboardView(ctx, resolveDashboardPeriod(complete.key, ctx.org));
        report(`+ ${label}, ${complete.label} (complete)`);
      }
    });
  }
  process.exit(0);
}

await main();
