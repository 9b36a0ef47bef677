// The check-in read's cost in the server, part by part:
//   npx tsx bench/checkin-read-cpu.ts --url <owner URL> --org <slug> [--size 4] [--rounds 3]
// For 30 groups of `size` check-ins chosen as bench/checkin-throughput.ts chooses them (deepest
// manual KPIs, dates in the last year), runs checkinRollupReadSql in a transaction with the
// settings of a pipelined check-in, as `kpi_app` (row-level security on) on one connection, and
// charges that backend's CPU (from /proc, 10 ms ticks: so 5 repetitions of the 30) to each
// variant: the whole read, and the read with column groups left out (wrapped in a select of the
// rest, so PostgreSQL drops the unreferenced subqueries and CTEs). Variants alternate within a
// round, so a loaded machine slows them alike. Prints CPU per read and the JSON bytes and rows of
// each column. Use it on a kept cluster of bench/checkin-profile.ts (`--keep`).
import fs from 'node:fs';
import { parseArgs } from 'node:util';
import { PgDialect } from 'drizzle-orm/pg-core';
import postgres from 'postgres';
import { checkinRollupReadSql } from '@/lib/dal/cascade/checkin-rollup';
import { addDays, todayInTimeZone } from '@/lib/domain/dates';
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
// As drizzle does: the statement's JSON parameters are already text.
for (const oid of [114, 3802])
  (app.options.serializers as Record<number, (x: unknown) => unknown>)[oid] = (x) => x;

const [org] =
  await owner`select id, fy_start_month, time_zone from organizations where slug = ${args.org}`;
if (!org) throw new Error(`no organization "${args.org}"`);
const leaves = await owner`with recursive tree as (
    select id, 1 as depth from kpis where org_id = ${org.id}::uuid and parent_id is null
    union all
    select k.id, t.depth + 1 from kpis k join tree t on k.org_id = ${org.id}::uuid and k.parent_id = t.id
  )
  select t.id from tree t join kpis k on k.org_id = ${org.id}::uuid and k.id = t.id
   where k.rollup = 'manual' and k.archived_on is null and t.depth = (select max(depth) from tree)
   order by t.id limit 1000`;
const today = todayInTimeZone(org.time_zone as string);
const dialect = new PgDialect();
const groups = Array.from({ length: 30 }, (_, g) =>
  dialect.sqlToQuery(
    checkinRollupReadSql(
      org.id as string,
      Array.from({ length: SIZE }, (_, w) => ({
        kpiId: leaves[(w * 7919 + g * 104_729) % leaves.length]!.id as string,
        observedOn: addDays(today, -1 - ((w * 31 + g * 13) % 364)),
      })),
      Number(org.fy_start_month),
    ),
  ),
);

const COLUMNS = ['kpis', 'chain', 'children', 'stored', 'checkins', 'recent', 'now'];
const FORMULA = ['formula_closure', 'formula_inputs', 'formula_stored'];
const all = [...COLUMNS, ...FORMULA];
const without = (...drop: string[]) => all.filter((c) => !drop.includes(c)).join(', ');
const VARIANTS: [string, string][] = [
  ['whole read', all.join(', ')],
  ['without formula_inputs', without('formula_inputs')],
  ['without the formula columns', without(...FORMULA)],
  ['without stored', without('stored')],
  ['without children and stored', without('children', 'stored')],
  ['without checkins and recent', without('checkins', 'recent')],
  ['kpis only', 'kpis'],
];

const [backend] = await app`select pg_backend_pid() as pid`;
const backendCpuMs = (): number => {
  const fields = fs.readFileSync(`/proc/${backend!.pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10; // utime + stime, 100 Hz ticks
};
const perVariant = new Map<string, number[]>();
let sample: Record<string, unknown> = {};
for (let round = 0; round < Number(args.rounds); round += 1) {
  for (const [name, keep] of VARIANTS) {
    const before = backendCpuMs();
    for (let rep = 0; rep < REPS; rep += 1) {
      for (const q of groups) {
        const rows = await app.begin(async (tx) => {
          await tx`select set_config('app.org_id', ${org.id as string}, true),
            set_config('plan_cache_mode', 'force_generic_plan', true), set_config('jit', 'off', true)`;
          return tx.unsafe(`select ${keep} from (${q.sql}) x`, q.params as never[]);
        });
        if (keep === VARIANTS[0]![1]) sample = rows[0] as Record<string, unknown>;
      }
    }
    const ms = (backendCpuMs() - before) / (REPS * groups.length);
    perVariant.set(name, [...(perVariant.get(name) ?? []), ms]);
  }
}
console.log(
  `The check-in read for ${groups.length} groups of ${SIZE}, backend CPU per read (each round):`,
);
for (const [name, values] of perVariant)
  console.log(`  ${name.padEnd(30)} ${values.map((v) => `${v.toFixed(2)} ms`).join('  ')}`);
console.log('JSON of the last group, per column (bytes, rows):');
for (const [column, value] of Object.entries(sample)) {
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  const rows = Array.isArray(value) ? value.length : '';
  console.log(`  ${column.padEnd(16)} ${String(text.length).padStart(7)}  ${rows}`);
}
await Promise.all([app.end(), owner.end()]);
