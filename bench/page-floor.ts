// The fixed cost of a signed-in page, without load (or under the dashboards budget's, `--load`):
//   npx tsx bench/page-floor.ts --database-url <owner URL> --seed-log FILE [--port 3310]
//     [--n 100] [--rounds 6] [--dist-dir .next-bench] [--profile DIR --page security|dashboard|trivial]
//     [--load SECONDS [--connections 8]]
// Sequential warm requests of the trivial page (/status), the member's smallest signed-in page
// (account security: the org layout, the session and the membership, nothing of its own to
// speak of) and the member's dashboard, interleaved in rounds (the first round is warm-up); prints
// the app's CPU a request (its process tree, /proc) in each round and the median. FILE: what
// `lib/cli/seed.ts --synthetic` printed. Uses the build `npm run bench` makes (.next-bench), or
// another build's folder to compare two builds on one organization. With `--profile`, runs only
// `--page` under V8's CPU profiler (the profile covers the start too: read it with
// `bench/cpu-profile-summary.ts --skip-ms`). With `--load`, each round loads each page instead
// from `--connections` connections for that many seconds (the dashboards budget's load), so the
// layout's floor can be read against the budget's ratio: p95 and CPU a request, each page's
// median against the trivial page's.
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { load } from './dashboard-load';
import { BENCH_DIST_DIR, startApp } from './support/app-server';
import { treeCpuMs } from './support/proc-stats';
import { parseSeedOutput } from './support/seed-log';
import { signIn } from './support/sign-in';

const { values: args } = parseArgs({
  options: {
    'database-url': { type: 'string' },
    'seed-log': { type: 'string' },
    port: { type: 'string', default: '3310' },
    n: { type: 'string', default: '100' },
    rounds: { type: 'string', default: '6' },
    'dist-dir': { type: 'string', default: BENCH_DIST_DIR },
    profile: { type: 'string' },
    page: { type: 'string', default: 'security' },
    load: { type: 'string' },
    connections: { type: 'string', default: '8' },
  },
  strict: true,
});

async function main(): Promise<void> {
  if (!args['database-url'] || !args['seed-log'])
    throw new Error('--database-url and --seed-log are required');
  const org = parseSeedOutput(fs.readFileSync(args['seed-log'], 'utf8'), null);
  const email = org.signIns.get('Member');
  if (!email) throw new Error('the seed log names no member');
  const pages: Record<string, { path: string; signedIn: boolean }> = {
    trivial: { path: '/status', signedIn: false },
    security: { path: `/o/${org.slug}/account/security`, signedIn: true },
    dashboard: { path: `/o/${org.slug}`, signedIn: true },
  };
  const profileFlags = args.profile
    ? ['--cpu-prof', `--cpu-prof-dir=${path.resolve(args.profile)}`]
    : [];
  const chosen = args.profile ? [args.page] : Object.keys(pages);
  const app = await startApp(
    args['database-url'],
    Number(args.port),
    { NEXT_DIST_DIR: args['dist-dir'] },
    undefined,
    profileFlags,
  );
  try {
    const cookie = await signIn(app.url, email, 'synthetic-seed-2026');
    const n = Number(args.n);
    const cpu = new Map<string, number[]>();
    const p95 = new Map<string, number[]>();
    for (let round = 0; round < Number(args.rounds); round += 1) {
      for (const name of chosen) {
        const page = pages[name];
        if (!page) throw new Error(`no page ${name}: ${Object.keys(pages).join(', ')}`);
        if (args.load) {
          const r = await load(app.url, name, page.path, {
            seconds: Number(args.load),
            connections: Number(args.connections),
            cookie: page.signedIn ? cookie : undefined,
            appPid: app.child.pid,
          });
          if (r.errors > 0 || r.non2xx > 0)
            throw new Error(`${page.path}: ${r.errors} errors, ${r.non2xx} answers not 2xx`);
          if (round > 0) {
            cpu.set(name, [...(cpu.get(name) ?? []), r.cpuMsPerRequest]);
            p95.set(name, [...(p95.get(name) ?? []), r.p95]);
          }
          continue;
        }
        const before = treeCpuMs(app.child.pid!);
        for (let i = 0; i < n; i += 1) {
          const res = await fetch(`${app.url}${page.path}`, {
            headers: page.signedIn ? { cookie } : {},
          });
          await res.text();
          if (res.status !== 200) throw new Error(`HTTP ${res.status} for ${page.path}`);
        }
        if (round > 0)
          cpu.set(name, [...(cpu.get(name) ?? []), (treeCpuMs(app.child.pid!) - before) / n]);
      }
    }
    console.log(
      args.load
        ? `${args['dist-dir']}: ${args.connections} connections for ${args.load} s a page a round`
        : `${args['dist-dir']}: app CPU a request, ${n} sequential requests a round`,
    );
    const median = (v: number[]) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)]!;
    const figures: [string, Map<string, number[]>][] = args.load
      ? [
          ['app CPU a request', cpu],
          ['p95', p95],
        ]
      : [['app CPU a request', cpu]];
    for (const [what, byPage] of figures) {
      const trivial = byPage.get('trivial');
      console.log(` ${what}:`);
      for (const [name, v] of byPage) {
        const ratio =
          trivial && name !== 'trivial'
            ? `, ${(median(v) / median(trivial)).toFixed(2)}x the trivial page's`
            : '';
        console.log(
          `  ${name.padEnd(10)} median ${median(v).toFixed(2)} ms${ratio} (rounds: ${v.map((x) => x.toFixed(1)).join(', ')})`,
        );
      }
    }
  } finally {
    app.child.kill('SIGINT');
    await app.exited;
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
