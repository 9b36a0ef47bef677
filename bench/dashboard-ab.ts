// `npx tsx bench/dashboard-ab.ts --database-url URL --seed-log FILE --base-dir DIR [--n 12]`: an
// A/B of one dashboard request, sequential (no concurrency), between the build of another
// checkout (DIR, its .next-bench: the baseline) and this one's, each served in turn on the same
// port and organization: per role the page's bytes (HTML and React's payload), the warm request's
// median time and the app's CPU time per request (from /proc). Run B-A-B or A-B-A order to see the
// drift of a busy machine; CPU per request is the figure that holds up under load.
import fs from 'node:fs';
import { parseArgs } from 'node:util';
import { startApp, stopApp } from './support/app-server';
import { pageBytes } from './support/page-bytes';
import { treeCpuMs } from './support/proc-stats';
import { signIn } from './support/sign-in';

const { values: args } = parseArgs({
  options: {
    'database-url': { type: 'string' },
    'seed-log': { type: 'string' },
    'base-dir': { type: 'string' },
    port: { type: 'string', default: '3700' },
    n: { type: 'string', default: '12' },
    order: { type: 'string', default: 'ABA' },
  },
});
const N = Number(args.n);
const ROLES = ['Owner', 'Department lead', 'Team lead', 'Member'] as const;

const log = fs.readFileSync(args['seed-log']!, 'utf8');
const slug = /Created "([^"]+)"/.exec(log)![1]!;
const emails = new Map(
  [...log.matchAll(/^ {2}(Owner|Department lead|Team lead|Member) +(\S+@\S+)/gm)].map((m) => [
    m[1]!,
    m[2]!,
  ]),
);

async function measure(label: string, dir: string | undefined): Promise<void> {
  const app = await startApp(args['database-url']!, Number(args.port), {}, dir);
  try {
    const pid = app.child.pid!;
    const kb = (n: number) => (n / 1024).toFixed(1);
    for (const role of ROLES) {
      const cookie = await signIn(app.url, emails.get(role)!, 'synthetic-seed-2026');
      const get = async () => {
        const res = await fetch(`${app.url}/o/${slug}`, { headers: { cookie } });
        const body = await res.text();
        if (res.status !== 200) throw new Error(`${label} ${role}: HTTP ${res.status}`);
        return body;
      };
      const page = await get(); // cold: fills the read model's caches
      await get();
      const times: number[] = [];
      const cpuBefore = treeCpuMs(pid);
      for (let i = 0; i < N; i += 1) {
        const started = performance.now();
        await get();
        times.push(performance.now() - started);
      }
      const cpu = (treeCpuMs(pid) - cpuBefore) / N;
      times.sort((a, b) => a - b);
      const b = pageBytes(page);
      console.log(
        `${label} ${role.padEnd(16)} ${kb(b.total).padStart(6)} KB (HTML ${kb(b.html)} + payload ${kb(b.payload)})  ` +
          `warm median ${times[Math.floor(N / 2)]!.toFixed(0).padStart(5)} ms, min ${times[0]!.toFixed(0).padStart(5)} ms, ` +
          `CPU ${cpu.toFixed(1).padStart(6)} ms/req`,
      );
    }
    const started = performance.now();
    const cpuBefore = treeCpuMs(pid);
    for (let i = 0; i < N; i += 1) await (await fetch(`${app.url}/status`)).text();
    console.log(
      `${label} trivial /status    mean ${((performance.now() - started) / N).toFixed(0)} ms, ` +
        `CPU ${((treeCpuMs(pid) - cpuBefore) / N).toFixed(1)} ms/req`,
    );
  } finally {
    await stopApp(app);
  }
}

for (const which of args.order!) {
  await measure(
    which === 'A' ? 'A (base)' : 'B (this)',
    which === 'A' ? args['base-dir'] : undefined,
  );
}
