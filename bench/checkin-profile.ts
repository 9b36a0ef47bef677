// Where a check-in's time goes, in figures:
//   npx tsx bench/checkin-profile.ts [--quick] [--port 5491] [--seconds 20] [--out DIR] [--keep]
// Starts a PostgreSQL cluster of its own (initdb under /tmp as the `postgres` OS user, loopback,
// `pg_stat_statements` loaded), seeds the synthetic organization into it as `npm run bench` does,
// runs bench/checkin-throughput.ts against it (as `kpi_app`, 8 writers) under V8's CPU profiler,
// then prints: the statements by their share of the server's statement time (with calls and time
// per check-in), the server's and Node's CPU per check-in (from /proc, so comparable on a shared
// machine), and the summary of the Node profile (bench/cpu-profile-summary.ts). `db:verify` runs
// on the database afterwards. The cluster is removed at the end unless `--keep` (then its URL and
// postmaster pid are printed, for more runs of bench/checkin-throughput.ts with `--server-pid`).
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { appDatabaseEnv } from './support/app-server';
import { createDatabase, pgBin, ThrowawayCluster } from './support/pg';

const { values: args } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    port: { type: 'string', default: '5491' },
    seconds: { type: 'string', default: '20' },
    writers: { type: 'string', default: '8' },
    out: { type: 'string', default: '/tmp/kpi-checkin-profile' },
    keep: { type: 'boolean', default: false },
    top: { type: 'string', default: '12' },
  },
  strict: true,
});
const SIZE = args.quick
  ? { kpis: 1000, people: 200, months: 36, depth: 6 }
  : { kpis: 10_000, people: 2000, months: 36, depth: 6 };

const psql = (url: string, query: string): string =>
  execFileSync(pgBin('psql'), [url, '-X', '-qAt', '-F', '\t', '-c', query], { encoding: 'utf8' });

function main(): void {
  const cluster = ThrowawayCluster.create(Number(args.port), {
    shared_preload_libraries: 'pg_stat_statements',
    'pg_stat_statements.track': 'top',
    'pg_stat_statements.max': '1000',
    'pg_stat_statements.track_planning': 'on',
  });
  let keep = false;
  try {
    const url = createDatabase(cluster.server, 'kpi_profile');
    console.log(`Seeding ${SIZE.kpis} KPIs into a cluster of its own (${cluster.dir})...`);
    const seeded = execFileSync(
      'npx',
      [
        'tsx',
        'lib/cli/seed.ts',
        '--synthetic',
        ...Object.entries(SIZE).flatMap(([k, v]) => [`--${k}`, String(v)]),
      ],
      { encoding: 'utf8', env: { ...process.env, DATABASE_URL: url } },
    );
    const slug = /Created "([^"]+)"/.exec(seeded)?.[1];
    if (!slug) throw new Error(`could not read the seed output:\n${seeded}`);
    psql(url, 'create extension if not exists pg_stat_statements');
    psql(url, 'select pg_stat_statements_reset()');
    const [firstCheckin] = psql(url, 'select count(*) from checkins').trim().split('\n');

    fs.mkdirSync(args.out, { recursive: true });
    for (const f of fs.readdirSync(args.out))
      if (f.endsWith('.cpuprofile')) fs.rmSync(path.join(args.out, f));
    const out = execFileSync(
      process.execPath,
      [
        '--cpu-prof',
        `--cpu-prof-dir=${args.out}`,
        '--import',
        'tsx',
        'bench/checkin-throughput.ts',
        ...['--org', slug, '--seconds', args.seconds, '--writers', args.writers],
        ...['--server-pid', String(cluster.postmasterPid)],
      ],
      {
        encoding: 'utf8',
        env: { ...process.env, ...appDatabaseEnv(url) },
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    for (const line of out.split('\n')) if (line && !line.startsWith('RESULT ')) console.log(line);
    const checkins =
      Number(psql(url, 'select count(*) from checkins').trim()) - Number(firstCheckin);

    // Statement time as the server counted it (execution and planning; lock waits included, which
    // the lock statements' rows show), per kind of statement.
    console.log(`\nServer statements by share of their total time (${checkins} check-ins):`);
    const rows = psql(
      url,
      `with s as (
         select regexp_replace(left(regexp_replace(query, '\\s+', ' ', 'g'), 90), '\\$\\d+', '$', 'g') as query,
                calls, total_exec_time + total_plan_time as ms, rows
           from pg_stat_statements
          where dbid = (select oid from pg_database where datname = current_database())
       )
       select round((100 * ms / sum(ms) over ())::numeric, 1), calls,
              round((ms / ${Math.max(1, checkins)})::numeric, 3), round((ms / nullif(calls, 0))::numeric, 3),
              query
         from s order by ms desc limit ${Number(args.top)}`,
    );
    console.log('  share  calls  ms/check-in  ms/call  statement');
    for (const line of rows.trim().split('\n')) {
      const [share, calls, perCheckin, perCall, query] = line.split('\t');
      console.log(
        `  ${share!.padStart(5)}% ${calls!.padStart(6)} ${perCheckin!.padStart(12)} ${perCall!.padStart(8)}  ${query}`,
      );
    }

    const profile = fs
      .readdirSync(args.out)
      .filter((f) => f.endsWith('.cpuprofile'))
      .map((f) => path.join(args.out, f))
      .sort((a, b) => fs.statSync(b).size - fs.statSync(a).size)[0];
    if (profile) {
      console.log(`\nNode (${profile}):`);
      console.log(
        execFileSync('npx', ['tsx', 'bench/cpu-profile-summary.ts', profile, '--top', '25'], {
          encoding: 'utf8',
        }),
      );
    }
    const verify = execFileSync('npx', ['tsx', 'lib/cli/verify.ts'], {
      encoding: 'utf8',
      env: { ...process.env, DATABASE_URL: url },
    });
    console.log(`db:verify: ${verify.trim().split('\n').pop()}`);
    if (args.keep) {
      keep = true;
      console.log(`Kept: ${url} (postmaster pid ${cluster.postmasterPid}, data ${cluster.dir})`);
    }
  } finally {
    if (!keep) cluster.remove();
  }
}

main();
