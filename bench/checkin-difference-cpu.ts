// The check-in rollup in the server (kpi_rollup_checkins, migration 0028) against today's read,
// walk and write, for groups whose chains it can take:
//   npx tsx bench/checkin-difference-cpu.ts --url <owner URL> --org <slug> [--size 4] [--rounds 3]
// Picks the writer leaves of bench/checkin-throughput.ts (deepest manual KPIs) that reach no
// formula's input and whose chains the function accepts (tried in a rolled-back transaction), forms 30 groups of `size` check-ins, and
// runs each group both ways in a transaction that is rolled back (so both see the same data), as
// `kpi_app` with the settings of a pipelined check-in, on one connection:
//   today:      the whole check-in read; the walk in Node; the write (check-ins + period values
//               with their outbox rows)
//   difference: the read the checks still need (target KPIs, recent readings, now); the check-ins
//               inserted; kpi_rollup_checkins
//   and that without the function (what the rollup by difference itself costs is the difference)
// Charges the backend's CPU (/proc, 10 ms ticks: 5 repetitions of the 30) and this process's CPU
// to each, alternated within a round. Also prints how many of the writer leaves it can take.
import fs from 'node:fs';
import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import { sql } from 'drizzle-orm';
import { PgDialect } from 'drizzle-orm/pg-core';
import postgres from 'postgres';
import { checkinRollupReadSql, parseCheckinRollupRead } from '@/lib/dal/cascade/checkin-rollup';
import { periodValueWriteCtes } from '@/lib/dal/cascade/period-value-sql';
import { rollupByDifferenceSql } from '@/lib/dal/cascade/rollup-by-difference';
import { addDays, todayInTimeZone } from '@/lib/domain/dates';
import { planRecompute, walkRecompute } from '@/lib/domain/recompute';
import { runtimeRoleUrl } from '@/db/runtime-url';

const { values: args } = parseArgs({
  options: {
    url: { type: 'string' },
    org: { type: 'string' },
    size: { type: 'string', default: '4' },
    rounds: { type: 'string', default: '3' },
  },
  strict: true,
});
if (!args.url || !args.org) throw new Error('--url <owner URL> and --org <slug> are required');
const SIZE = Number(args.size);
const REPS = 5;

const owner = postgres(args.url, { max: 1, onnotice: () => {} });
const app = postgres(runtimeRoleUrl(args.url), { max: 1, prepare: true, onnotice: () => {} });
for (const oid of [114, 3802])
  (app.options.serializers as Record<number, (x: unknown) => unknown>)[oid] = (x) => x;
const dialect = new PgDialect();
const q = (s: ReturnType<typeof sql>) => dialect.sqlToQuery(s);

const [org] =
  await owner`select id, fy_start_month, time_zone from organizations where slug = ${args.org}`;
if (!org) throw new Error(`no organization "${args.org}"`);
const orgId = org.id as string;
const fy = Number(org.fy_start_month);
const [author] =
  await owner`select user_id from memberships where org_id = ${orgId}::uuid and role = 'owner' limit 1`;
const leaves = await owner`with recursive tree as (
    select id, 1 as depth from kpis where org_id = ${orgId}::uuid and parent_id is null
    union all
    select k.id, t.depth + 1 from kpis k join tree t on k.org_id = ${orgId}::uuid and k.parent_id = t.id
  )
  select t.id from tree t join kpis k on k.org_id = ${orgId}::uuid and k.id = t.id
   where k.rollup = 'manual' and k.archived_on is null and t.depth = (select max(depth) from tree)
   order by t.id limit 1000`;
const today = todayInTimeZone(org.time_zone as string);
// The leaves whose chain reaches a formula's input: their check-ins need the formula pass, which
// the function leaves to the caller, so they are not candidates.
const feeding = new Set(
  (
    await owner`with recursive up as (
        select k.id as leaf, k.id as anc from kpis k
         where k.org_id = ${orgId}::uuid and k.id = any(${leaves.map((l) => l.id as string)}::uuid[])
        union
        select u.leaf, k.parent_id from up u join kpis k on k.org_id = ${orgId}::uuid and k.id = u.anc
         where k.parent_id is not null
      )
      select distinct u.leaf from up u join kpis a on a.org_id = ${orgId}::uuid and a.id = u.anc
       where a.key is not null and exists (
         select 1 from kpis f where f.org_id = ${orgId}::uuid and f.formula is not null
            and f.formula_inputs @> array[a.key]::text[])`
  ).map((r) => r.leaf as string),
);

/** Runs fn in a transaction with the pipelined check-in's settings, then rolls it back. */
async function rolledBack<T>(fn: (tx: postgres.TransactionSql) => Promise<T>): Promise<T> {
  let out: T | undefined;
  await app
    .begin(async (tx) => {
      await tx`select set_config('app.org_id', ${orgId}, true),
        set_config('plan_cache_mode', 'force_generic_plan', true), set_config('jit', 'off', true)`;
      out = await fn(tx);
      throw new RollBack();
    })
    .catch((e: unknown) => {
      if (!(e instanceof RollBack)) throw e;
    });
  return out as T;
}
class RollBack extends Error {}
const run = (tx: postgres.TransactionSql, s: ReturnType<typeof sql>) => {
  const { sql: text, params } = q(s);
  return tx.unsafe(text, params as never[]);
};

// Which writer leaves the function takes (a check-in a year ago, rolled back).
const accepted: string[] = [];
for (const leaf of leaves) {
  if (feeding.has(leaf.id as string)) continue;
  const item = { kpiId: leaf.id as string, observedOn: addDays(today, -40), value: '1' };
  const ok = await rolledBack(async (tx) => {
    const [row] = await run(tx, rollupByDifferenceSql(orgId, [item], fy));
    return Boolean(row?.ok);
  });
  if (ok) accepted.push(leaf.id as string);
}
console.log(
  `${accepted.length} of ${leaves.length} writer leaves roll up in the server (${feeding.size} reach a formula's input).`,
);

const groups = Array.from({ length: 30 }, (_, g) =>
  Array.from({ length: SIZE }, (_, w) => ({
    kpiId: accepted[(w * 7919 + g * 104_729) % accepted.length]!,
    observedOn: addDays(today, -1 - ((w * 31 + g * 13) % 364)),
    value: String(((w * 37 + g * 11) % 200) + 0.25),
  })),
);

const insertSql = (items: (typeof groups)[number]) => {
  const records = items.map((c) => ({
    id: randomUUID(),
    kpi_id: c.kpiId,
    observed_on: c.observedOn,
    value: c.value,
    author_user_id: author!.user_id,
  }));
  return sql`insert into checkins (id, org_id, kpi_id, observed_on, value, author_user_id)
    select r.id, ${orgId}::uuid, r.kpi_id, r.observed_on, r.value, r.author_user_id
      from json_to_recordset(${JSON.stringify(records)}::json)
        as r(id uuid, kpi_id uuid, observed_on date, value numeric, author_user_id uuid)`;
};

async function today_(items: (typeof groups)[number]): Promise<void> {
  await rolledBack(async (tx) => {
    const [row] = await run(tx, checkinRollupReadSql(orgId, items, fy));
    const read = parseCheckinRollupRead(row as Record<string, unknown>, items.length);
    const sources = new Map<string, string[]>();
    for (const c of items) sources.set(c.kpiId, [...(sources.get(c.kpiId) ?? []), c.observedOn]);
    const plan = planRecompute(read.chain, read.children, fy, sources);
    const newCheckins = items.map((c, i) => ({ id: `n${i}`, ...c, createdAt: read.now }));
    const walked = plan
      ? walkRecompute(plan, [...read.checkins, ...newCheckins], read.stored)
      : { upserts: [], deletes: [] };
    await run(
      tx,
      sql`with new_checkins as (${insertSql(items)}),
        ${periodValueWriteCtes(orgId, walked.upserts, walked.deletes)} select 1`,
    );
  });
}

async function difference(items: (typeof groups)[number]): Promise<void> {
  await rolledBack(async (tx) => {
    // What the checks still read: the read statement's target KPIs, recent readings and now.
    const { sql: text, params } = q(checkinRollupReadSql(orgId, items, fy));
    await tx.unsafe(`select kpis, recent, now from (${text}) x`, params as never[]);
    await run(tx, insertSql(items));
    const [row] = await run(tx, rollupByDifferenceSql(orgId, items, fy));
    if (!row?.ok) throw new Error('refused: the groups were picked so that it is not');
  });
}

async function checksOnly(items: (typeof groups)[number]): Promise<void> {
  await rolledBack(async (tx) => {
    const { sql: text, params } = q(checkinRollupReadSql(orgId, items, fy));
    await tx.unsafe(`select kpis, recent, now from (${text}) x`, params as never[]);
    await run(tx, insertSql(items));
  });
}

const [backend] = await app`select pg_backend_pid() as pid`;
const backendCpuMs = (): number => {
  const fields = fs.readFileSync(`/proc/${backend!.pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
};
const VARIANTS: [string, (items: (typeof groups)[number]) => Promise<void>][] = [
  ['today (read, walk, write)', today_],
  ['by difference', difference],
  ['  of which checks + insert', checksOnly],
];
const results = new Map<string, { server: number[]; node: number[] }>();
for (let round = 0; round < Number(args.rounds); round += 1) {
  for (const [name, fn] of VARIANTS) {
    const before = backendCpuMs();
    const nodeBefore = process.cpuUsage();
    for (let rep = 0; rep < REPS; rep += 1) for (const items of groups) await fn(items);
    const n = REPS * groups.length;
    const node = process.cpuUsage(nodeBefore);
    const entry = results.get(name) ?? { server: [], node: [] };
    entry.server.push((backendCpuMs() - before) / n);
    entry.node.push((node.user + node.system) / 1000 / n);
    results.set(name, entry);
  }
}
const [load] = fs.readFileSync('/proc/loadavg', 'utf8').split(' ');
console.log(
  `${groups.length} groups of ${SIZE} check-ins, CPU per group (each round), load ${load}:`,
);
for (const [name, { server, node }] of results) {
  console.log(
    `  ${name.padEnd(28)} server ${server.map((v) => `${v.toFixed(2)} ms`).join('  ')}   node ${node.map((v) => `${v.toFixed(2)} ms`).join('  ')}`,
  );
}
await Promise.all([app.end(), owner.end()]);
