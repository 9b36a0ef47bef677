// Check-in throughput with concurrent writers through the DAL path the server action takes (org
// context from the database, then one tenant transaction: lock, checks, insert, rollup through
// every ancestor, audit). Writers record on the deepest manual KPIs of an organization.
//   DATABASE_URL=<runtime role> MIGRATION_DATABASE_URL=<owner> npx tsx bench/checkin-throughput.ts \
//     --org <slug> [--seconds 20] [--writers 8] [--server-pid <postmaster pid>]
// Prints a human summary and, last, `RESULT {json}`. With `--server-pid` (a cluster of the bench's
// own, such as bench/checkin-profile.ts starts) it also charges the server's CPU (the postmaster
// and every backend, from /proc) to the check-ins: comparable on a shared machine, unlike the
// machine-wide figure.
import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import { sql } from 'drizzle-orm';
import { closeDb, execRows, getOwnerDb } from '@/db/client';
import { recordCheckin } from '@/lib/dal/record-checkin';
import { getMembershipBySlug } from '@/lib/dal/memberships';
import { addDays, todayInTimeZone } from '@/lib/domain/dates';
import type { OrgContext } from '@/lib/server/org-context';
import { machineBusySeconds } from './support/machine';
import { treeCpuMs } from './support/proc-stats';
import { ms, summarize } from './support/stats';

const { values: args } = parseArgs({
  options: {
    org: { type: 'string' },
    seconds: { type: 'string', default: '20' },
    warmup: { type: 'string', default: '3' },
    writers: { type: 'string', default: '8' },
    'server-pid': { type: 'string' },
  },
  strict: true,
});
if (!args.org) throw new Error('--org <slug> is required');
const slug = args.org;
const SECONDS = Number(args.seconds);
const WARMUP = Number(args.warmup);
const WRITERS = Number(args.writers);
const SERVER_PID = args['server-pid'] === undefined ? null : Number(args['server-pid']);

// The bench's own lookups read across tenants: as the owner (the check-ins run as the app does).
const db = await getOwnerDb();
const [owner] = await execRows<{ user_id: string; session_version: number; org_id: string }>(
  db,
  sql`select m.user_id, u.session_version, o.id as org_id
        from organizations o
        join memberships m on m.org_id = o.id and m.role = 'owner'
        join users u on u.id = m.user_id
       where o.slug = ${slug} limit 1`,
);
if (!owner) throw new Error(`no organization "${slug}"`);
const orgId = owner.org_id;
const claims = { userId: owner.user_id, sessionVersion: Number(owner.session_version) };

// The deepest manual KPIs: each check-in rolls up through the whole chain above it.
const leaves = await execRows<{ id: string; depth: number }>(
  db,
  sql`with recursive tree as (
        select id, 1 as depth from kpis where org_id = ${orgId}::uuid and parent_id is null
        union all
        select k.id, t.depth + 1 from kpis k join tree t on k.org_id = ${orgId}::uuid and k.parent_id = t.id
      )
      select t.id, t.depth from tree t join kpis k on k.org_id = ${orgId}::uuid and k.id = t.id
       where k.rollup = 'manual' and k.archived_on is null
         and t.depth = (select max(depth) from tree)
       order by t.id limit 1000`,
);
if (leaves.length === 0) throw new Error('no manual KPI at the deepest level');
const depth = Number(leaves[0]!.depth);

// The leaves whose check-ins reach the formula north star (an ancestor is one of its inputs):
// the run must include them, so it measures the formula pass of the engine too.
const [feeding] = await execRows<{ n: number }>(
  db,
  sql`with recursive up as (
        select k.id as leaf, k.id as anc from kpis k
         where k.org_id = ${orgId}::uuid and k.id = any(${`{${leaves.map((l) => l.id).join(',')}}`}::uuid[])
        union
        select u.leaf, k.parent_id from up u join kpis k on k.org_id = ${orgId}::uuid and k.id = u.anc
         where k.parent_id is not null
      )
      select count(distinct u.leaf)::int as n from up u join kpis a on a.org_id = ${orgId}::uuid and a.id = u.anc
       where a.key is not null and exists (
         select 1 from kpis f where f.org_id = ${orgId}::uuid and f.rollup = 'formula'
            and f.archived_on is null and f.is_north_star and f.formula_inputs @> array[a.key]::text[])`,
);
const formulaLeaves = Number(feeding?.n ?? 0);
if (formulaLeaves === 0) throw new Error('no leaf KPI feeds the formula north star');

/** As `resolveOrgContext` does per request (the session's claims are given). */
async function contextFor(): Promise<OrgContext> {
  const found = await getMembershipBySlug(claims, slug);
  if (!found) throw new Error('bench org not found');
  return { ...found, requestId: randomUUID() };
}

const today = todayInTimeZone((await contextFor()).org.timeZone);
let measuring = false;
let stop = false;
const latencies: number[] = [];
let errors = 0;

async function writer(w: number): Promise<void> {
  for (let i = 0; !stop; i += 1) {
    const kpiId = leaves[(w * 7919 + i * 104_729) % leaves.length]!.id;
    // A day in the last year (never today: no time-zone edge), so month, quarter and year move.
    const observedOn = addDays(today, -1 - ((w * 31 + i * 13) % 364));
    const value = `${(i % 97) + 1}.${String((w + i) % 100).padStart(2, '0')}`;
    const started = performance.now();
    try {
      const ctx = await contextFor();
      // Arbitrary load values: confirmed, so none is refused as unusual (the check still reads).
      await recordCheckin(ctx, { kpiId, observedOn, value, confirmUnusual: true });
      if (measuring) latencies.push(performance.now() - started);
    } catch (error) {
      errors += 1;
      if (errors <= 3) console.error(error);
    }
  }
}

const running = Array.from({ length: WRITERS }, (_, w) => writer(w));
await new Promise((r) => setTimeout(r, WARMUP * 1000));
measuring = true;
const began = performance.now();
const busyBefore = machineBusySeconds();
const nodeBefore = process.cpuUsage();
const serverBefore = SERVER_PID === null ? 0 : treeCpuMs(SERVER_PID);
await new Promise((r) => setTimeout(r, SECONDS * 1000));
measuring = false;
const elapsed = (performance.now() - began) / 1000;
const node = process.cpuUsage(nodeBefore);
const busy = machineBusySeconds() - busyBefore;
const server = SERVER_PID === null ? null : treeCpuMs(SERVER_PID) - serverBefore;
stop = true;
await Promise.all(running);
await closeDb();

const s = summarize(latencies);
const throughput = s.n / elapsed;
// What one check-in costs in CPU: this process (the app's share) and the whole machine.
const nodeCpuMs = (node.user + node.system) / 1000 / s.n;
const cpuPerCheckinMs = (busy * 1000) / s.n;
const serverCpuMs = server === null ? null : server / s.n;
console.log(
  `check-ins with rollup (depth ${depth}, ${leaves.length} leaf KPIs of which ${formulaLeaves} feed the formula north star, ${WRITERS} writers, ${elapsed.toFixed(1)} s): ` +
    `${throughput.toFixed(0)}/s, p50 ${ms(s.p50)}, p95 ${ms(s.p95)}, p99 ${ms(s.p99)}, max ${ms(s.max)}, ${errors} errors; ` +
    `CPU per check-in ${cpuPerCheckinMs.toFixed(2)} ms on the machine, ${nodeCpuMs.toFixed(2)} ms in Node` +
    (serverCpuMs === null ? '' : `, ${serverCpuMs.toFixed(2)} ms in the server`),
);
console.log(
  `RESULT ${JSON.stringify({ depth, writers: WRITERS, formulaLeaves, leaves: leaves.length, seconds: elapsed, throughput, errors, cpuPerCheckinMs, nodeCpuMs, serverCpuMs, ...s })}`,
);
