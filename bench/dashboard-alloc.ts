// `npx tsx bench/dashboard-alloc.ts --database-url URL --seed-log FILE [--port 3731]
//   [--requests 200] [--connections 8] [--node-flags "..."] [--app-dir DIR]`:
// bytes the app allocates per dashboard request, by role, and its heap and resident memory under
// that load. Serves the existing build (.next-bench, `npm run bench -- --skip-build` style) with
// the Node flags of `npm start`, the given ones and --trace-gc-nvp; signs in each role of the
// seeded organization (FILE: what `db:seed -- --synthetic` printed), warms each dashboard, then
// sends each role's dashboard `--requests` times from `--connections` connections and sums V8's
// `allocated=` (bytes allocated since the previous collection) over the collections of that
// phase. Byte counts and CPU per request are comparable on a loaded machine; request rates not.
import fs from 'node:fs';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { startApp, stopApp, startScriptNodeFlags } from './support/app-server';
import { loadAverage } from './support/machine';
import { sampleRss, treeCpuMs } from './support/proc-stats';
import { signIn } from './support/sign-in';

const { values: args } = parseArgs({
  options: {
    port: { type: 'string', default: '3731' },
    'database-url': { type: 'string' },
    'seed-log': { type: 'string' },
    requests: { type: 'string', default: '200' },
    connections: { type: 'string', default: '8' },
    'node-flags': { type: 'string', default: '' },
    'app-dir': { type: 'string' },
    roles: { type: 'string', default: 'Owner,Department lead,Team lead,Member' },
  },
  strict: true,
});
if (!args['database-url'] || !args['seed-log']) throw new Error('--database-url and --seed-log');

const seedOut = fs.readFileSync(args['seed-log'], 'utf8');
const slug = /Created "([^"]+)"/.exec(seedOut)?.[1];
if (!slug) throw new Error('no organization in the seed log');
const emails = new Map<string, string>();
for (const m of seedOut.matchAll(
  /^ {2}(Owner|Admin|Department lead|Team lead|Member) +(\S+@\S+)/gm,
))
  emails.set(m[1]!, m[2]!);

type Gc = { allocated: number; pauseMs: number; full: boolean; sizeAfter: number };

/** The collections logged after byte `from` of the app's log (--trace-gc-nvp lines). */
function gcsSince(logFile: string, from: number): Gc[] {
  const text = fs.readFileSync(logFile, 'utf8').slice(from);
  const gcs: Gc[] = [];
  for (const line of text.split('\n')) {
    const allocated = /\ballocated=(\d+)/.exec(line);
    if (!allocated) continue;
    gcs.push({
      allocated: Number(allocated[1]),
      pauseMs: Number(/\bpause=([\d.]+)/.exec(line)?.[1] ?? 0),
      full: /\bgc=mc\b/.test(line),
      sizeAfter: Number(/\btotal_size_after=(\d+)/.exec(line)?.[1] ?? 0),
    });
  }
  return gcs;
}

const mb = (b: number) => (b / 2 ** 20).toFixed(1);

async function main(): Promise<void> {
  const extra = ['--trace-gc-nvp', ...args['node-flags'].split(' ').filter(Boolean)];
  console.log(
    `App flags: ${[...startScriptNodeFlags(args['app-dir']), ...extra].join(' ')}; ` +
      `${args.requests} requests a role from ${args.connections} connections; load ${loadAverage()}`,
  );
  const app = await startApp(args['database-url']!, Number(args.port), {}, args['app-dir'], extra);
  const pid = app.child.pid!;
  try {
    const path = `/o/${slug}`;
    const roles = args.roles.split(',');
    const cookies = new Map<string, string>();
    for (const role of roles) {
      cookies.set(role, await signIn(app.url, emails.get(role)!, 'synthetic-seed-2026'));
      // warm: the model, the view and the module caches
      for (let i = 0; i < 3; i += 1)
        await (
          await fetch(`${app.url}${path}`, { headers: { cookie: cookies.get(role)! } })
        ).text();
    }
    for (const role of roles) {
      const from = fs.statSync(app.logFile).size;
      const cpu0 = treeCpuMs(pid);
      const t0 = performance.now();
      const rss = sampleRss(pid);
      const result = await autocannon({
        url: `${app.url}${path}`,
        connections: Number(args.connections),
        amount: Number(args.requests),
        timeout: 120,
        headers: { cookie: cookies.get(role)! },
      });
      const peak = rss.stop();
      const cpu = treeCpuMs(pid) - cpu0;
      const seconds = (performance.now() - t0) / 1000;
      await new Promise((r) => setTimeout(r, 300));
      const gcs = gcsSince(app.logFile, from);
      const n = result.requests.total;
      const allocated = gcs.reduce((s, g) => s + g.allocated, 0);
      const pause = gcs.reduce((s, g) => s + g.pauseMs, 0);
      const full = gcs.filter((g) => g.full);
      console.log(
        `${role.padEnd(16)} ${n} req (${result.non2xx} non-2xx, ${result.errors} errors) ` +
          `${(n / seconds).toFixed(0)}/s, ${(allocated / 2 ** 20 / seconds).toFixed(0)} MB/s: ` +
          `allocated ${mb(allocated / n)} MB/req, GC ${gcs.length} (${full.length} full) ` +
          `pause ${(pause / n).toFixed(1)} ms/req, CPU ${(cpu / n).toFixed(1)} ms/req, max RSS ${mb(peak.bytes)} MB, ` +
          `heap after full GCs ${full.map((g) => mb(g.sizeAfter)).join(' ') || '-'} MB`,
      );
    }
  } finally {
    console.log(`app exit ${await stopApp(app)}; load ${loadAverage()}`);
    if (fs.readFileSync(app.logFile, 'utf8').includes('heap out of memory'))
      console.log('the app ran out of heap');
  }
}

await main();
