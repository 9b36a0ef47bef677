// `npx tsx bench/dashboard-probe.ts --url <base> --slug <org> --email <a> [--email <b>...]`: signs
// in and times sequential GETs of the dashboard (server response, HTML size), cold then warm. A
// quick look at one request without load; the budget itself is bench/run.ts.
import { parseArgs } from 'node:util';
import { pageBytes } from './support/page-bytes';
import { signIn } from './support/sign-in';

const { values } = parseArgs({
  options: {
    url: { type: 'string' },
    slug: { type: 'string' },
    email: { type: 'string', multiple: true },
    password: { type: 'string', default: 'synthetic-seed-2026' },
    n: { type: 'string', default: '10' },
    path: { type: 'string', default: '' },
  },
});

async function main(): Promise<void> {
  const base = values.url!;
  for (const email of values.email ?? []) {
    const cookie = await signIn(base, email, values.password!);
    const times: number[] = [];
    let page = '';
    for (let i = 0; i < Number(values.n); i += 1) {
      const started = performance.now();
      const res = await fetch(`${base}/o/${values.slug}${values.path}`, { headers: { cookie } });
      const body = await res.text();
      times.push(performance.now() - started);
      page = body;
      if (res.status !== 200) throw new Error(`HTTP ${res.status} for ${email}`);
    }
    const warm = times.slice(1).sort((a, b) => a - b);
    const bytes = pageBytes(page);
    const kb = (n: number) => (n / 1024).toFixed(1);
    console.log(
      `${email.padEnd(40)} first ${times[0]!.toFixed(1)} ms, warm median ${warm[Math.floor(warm.length / 2)]!.toFixed(1)} ms, min ${warm[0]!.toFixed(1)} ms, ` +
        `${kb(bytes.total)} KB (HTML ${kb(bytes.html)} KB, React payload ${kb(bytes.payload)} KB)`,
    );
  }
}

await main();
