// `npm run test:resilience`: the app under a mixed load while its PostgreSQL restarts, then a
// SIGTERM under load. Loopback only, on a throwaway cluster of its own (port 55440; the shared
// server on 5432 is never touched), about two minutes in all with the build. Checks:
//   1. the app process stays up through the outage;
//   2. no request hangs: every one ends within 6 s (during the outage they fail fast);
//   3. service recovers within 10 s of PostgreSQL accepting connections again;
//   4. `db:verify` finds no drift afterwards;
//   5. SIGTERM under load: requests in flight complete, the process exits on its own (143).
// `--skip-build` reuses an existing .next-bench build. Exit 1 when a check fails.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { parseArgs } from 'node:util';
import { BENCH_DIST_DIR, buildApp, startApp, stopApp, type AppServer } from './support/app-server';
import { createDatabase, ThrowawayCluster } from './support/pg';
import { signIn } from './support/sign-in';
import { sleep } from './support/stats';

const { values: args } = parseArgs({
  options: {
    'skip-build': { type: 'boolean', default: false },
    port: { type: 'string', default: '3710' },
    'pg-port': { type: 'string', default: '55440' },
  },
  strict: true,
});

const LOAD_SECONDS = 60;
const OUTAGE_AT = 15;
const OUTAGE_SECONDS = 5;
const WORKERS = 6;
const HANG_LIMIT_MS = 6000;
const RECOVERY_LIMIT_MS = 10_000;

type Kind = 'dashboard' | 'checkin' | 'ingest' | 'health';
type Sample = { kind: Kind; start: number; end: number; ok: boolean; status: number };

const t0 = performance.now();
const now = () => performance.now() - t0;
const secs = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

function psql(url: string, query: string): string[] {
  return execFileSync('psql', [url, '-Atc', query], { encoding: 'utf8' })
    .trim()
    .split('\n')
    .filter(Boolean);
}

/** The id of a server action in this build (what a browser sends as `Next-Action`). */
function actionId(file: string, name: string): string {
  const manifest = JSON.parse(
    fs.readFileSync(`${BENCH_DIST_DIR}/server/server-reference-manifest.json`, 'utf8'),
  ) as { node: Record<string, { filename: string; exportedName: string }> };
  const found = Object.entries(manifest.node).find(
    ([, v]) => v.filename === file && v.exportedName === name,
  );
  if (!found) throw new Error(`no server action ${name} in ${file}`);
  return found[0];
}

type Target = {
  app: AppServer;
  slug: string;
  cookie: string;
  apiKey: string;
  kpiIds: string[];
  kpiKeys: string[];
  recordAction: string;
};

let day = 0;
function nextDate(): string {
  day += 1;
  const d = new Date(Date.now() - (2 + (day % 300)) * 86_400_000);
  return d.toISOString().slice(0, 10);
}

/** One request of the given kind; never throws. `timeoutMs` only guards against a real hang. */
async function request(t: Target, kind: Kind, i: number): Promise<Sample> {
  const start = now();
  const signal = AbortSignal.timeout(20_000);
  let status = 0;
  let ok = false;
  try {
    if (kind === 'dashboard') {
      const res = await fetch(`${t.app.url}/o/${t.slug}`, {
        headers: { cookie: t.cookie },
        signal,
      });
      status = res.status;
      ok = res.ok && (await res.text()).includes('north-star');
    } else if (kind === 'health') {
      const res = await fetch(`${t.app.url}/api/health`, { signal });
      status = res.status;
      ok = res.ok;
      await res.arrayBuffer();
    } else if (kind === 'checkin') {
      // The dashboard's own server action, as the browser calls it.
      const res = await fetch(`${t.app.url}/o/${t.slug}`, {
        method: 'POST',
        signal,
        headers: {
          cookie: t.cookie,
          // Browsers send it; proxy.ts refuses a page POST without a same-origin Origin.
          Origin: t.app.url,
          'Next-Action': t.recordAction,
          'Content-Type': 'text/plain;charset=UTF-8',
          Accept: 'text/x-component',
        },
        body: JSON.stringify([
          t.slug,
          {
            kpiId: t.kpiIds[i % t.kpiIds.length],
            observedOn: nextDate(),
            value: `${(i % 90) + 1}.25`,
            confirmUnusual: true, // arbitrary load values: never refused as unusual
          },
        ]),
      });
      status = res.status;
      ok = res.ok && (await res.text()).includes('"ok":true');
    } else {
      const items = Array.from({ length: 5 }, (_, j) => ({
        kpi: t.kpiKeys[(i * 5 + j) % t.kpiKeys.length],
        observedOn: nextDate(),
        value: `${j + 1}.5`,
      }));
      const res = await fetch(`${t.app.url}/api/v1/checkins`, {
        method: 'POST',
        signal,
        headers: { Authorization: `Bearer ${t.apiKey}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({ items }),
      });
      status = res.status;
      ok = res.status === 201 || res.status === 200;
      await res.arrayBuffer();
    }
  } catch {
    ok = false;
  }
  return { kind, start, end: now(), ok, status };
}

const KINDS: Kind[] = ['dashboard', 'checkin', 'ingest', 'health'];

/** `workers` closed loops until `until()` is true; every request's sample is kept. */
async function runLoad(
  t: Target,
  workers: number,
  until: () => boolean,
  samples: Sample[],
): Promise<void> {
  let n = 0;
  await Promise.all(
    Array.from({ length: workers }, async (_, w) => {
      while (!until()) {
        const i = n++;
        const s = await request(t, KINDS[(i + w) % KINDS.length]!, i);
        samples.push(s);
        if (!s.ok) await sleep(100); // a failing client backs off a little, as a real one would
      }
    }),
  );
}

async function main(): Promise<number> {
  const failures: string[] = [];
  const check = (ok: boolean, text: string) => {
    console.log(`${ok ? 'PASS' : 'FAIL'}  ${text}`);
    if (!ok) failures.push(text);
  };
  const cluster = ThrowawayCluster.create(Number(args['pg-port']));
  let app: AppServer | undefined;
  try {
    const dbUrl = createDatabase(cluster.server, 'kpi_resilience');
    console.log(
      `Throwaway cluster on ${cluster.server.host}:${cluster.server.port} (${cluster.dir})`,
    );
    const seedOut = execFileSync(
      'npx',
      [
        'tsx',
        'lib/cli/seed.ts',
        '--synthetic',
        '--kpis',
        '400',
        '--people',
        '80',
        '--months',
        '24',
        '--depth',
        '6',
      ],
      { encoding: 'utf8', env: { ...process.env, DATABASE_URL: dbUrl } },
    );
    const slug = /Created "([^"]+)"/.exec(seedOut)?.[1];
    const ownerEmail = /^ {2}Owner +(\S+)/m.exec(seedOut)?.[1];
    if (!slug || !ownerEmail) throw new Error(`could not read the seed output:\n${seedOut}`);
    const keyOut = execFileSync(
      'npx',
      ['tsx', 'lib/cli/apikey.ts', '--org', slug, '--name', 'bench', '--scope', 'write'],
      { encoding: 'utf8', env: { ...process.env, DATABASE_URL: dbUrl } },
    );
    const apiKey = keyOut.trim().split('\n').pop()!.trim();
    const manual = psql(
      dbUrl,
      `select k.id || ' ' || k.key from kpis k join organizations o on o.id = k.org_id
        where o.slug = '${slug}' and k.rollup = 'manual' and k.archived_on is null order by k.id limit 200`,
    ).map((l) => l.split(' '));

    buildApp(args['skip-build']);
    app = await startApp(dbUrl, Number(args.port));
    const target: Target = {
      app,
      slug,
      cookie: await signIn(app.url, ownerEmail, 'synthetic-seed-2026'),
      apiKey,
      kpiIds: manual.map(([id]) => id!),
      kpiKeys: manual.map(([, key]) => key!),
      recordAction: actionId('lib/actions/checkins.ts', 'recordCheckinAction'),
    };
    const warm = await Promise.all(KINDS.map((k, i) => request(target, k, i)));
    for (const s of warm) if (!s.ok) throw new Error(`warm-up ${s.kind} failed (HTTP ${s.status})`);

    await outage(target, cluster, check);
    try {
      const verify = execFileSync('npx', ['tsx', 'lib/cli/verify.ts'], {
        encoding: 'utf8',
        env: { ...process.env, DATABASE_URL: dbUrl },
      });
      check(true, `db:verify after the restart: ${verify.trim().split('\n').pop()}`);
    } catch (error) {
      // db:verify exits 1 on drift
      check(
        false,
        `db:verify after the restart: ${(error as { stdout?: string }).stdout ?? String(error)}`,
      );
    }
    await drain(target, check);
  } catch (error) {
    console.error(error);
    failures.push(String(error));
  } finally {
    if (app) await stopApp(app);
    cluster.remove();
  }
  console.log(
    failures.length === 0 ? 'All resilience checks passed.' : `${failures.length} check(s) failed.`,
  );
  return failures.length === 0 ? 0 : 1;
}

type Check = (ok: boolean, text: string) => void;

/** 1-3: a minute of mixed load with a PostgreSQL restart in the middle. */
async function outage(target: Target, cluster: ThrowawayCluster, check: Check): Promise<void> {
  console.log(
    `Mixed load, ${WORKERS} clients, ${LOAD_SECONDS} s; PostgreSQL stops at ${OUTAGE_AT} s for ${OUTAGE_SECONDS} s...`,
  );
  const samples: Sample[] = [];
  const loadStart = now();
  const loading = runLoad(target, WORKERS, () => now() - loadStart > LOAD_SECONDS * 1000, samples);
  await sleep(OUTAGE_AT * 1000);
  const downAt = now();
  cluster.stop();
  const stoppedAt = now();
  await sleep(OUTAGE_SECONDS * 1000);
  cluster.start(); // pg_ctl -w: returns once the server accepts connections
  const readyAt = now();
  await loading;
  console.log(
    `  PostgreSQL stop at ${secs(downAt - loadStart)} (down by ${secs(stoppedAt - loadStart)}), accepting again at ${secs(readyAt - loadStart)}`,
  );

  const byKind = (list: Sample[]) =>
    KINDS.map((k) => {
      const of = list.filter((s) => s.kind === k);
      return `${k} ${of.filter((s) => s.ok).length}/${of.length}`;
    }).join(', ');
  const before = samples.filter((s) => s.end < downAt);
  const during = samples.filter((s) => s.end >= downAt && s.start < readyAt);
  const after = samples.filter((s) => s.start >= readyAt);
  console.log(`  before the outage: ${byKind(before)} ok`);
  console.log(`  during the outage: ${byKind(during)} ok`);
  console.log(`  after it:          ${byKind(after)} ok`);
  const longest = (list: Sample[]) => list.reduce((m, s) => Math.max(m, s.end - s.start), 0);
  // Recovered at the start of the first request from which on every request succeeded.
  const sorted = [...samples].sort((a, b) => a.start - b.start);
  let lastFailure = -1;
  sorted.forEach((s, i) => {
    if (!s.ok) lastFailure = i;
  });
  const firstGood = sorted[lastFailure + 1];
  const recovery = firstGood ? Math.max(0, firstGood.start - readyAt) : Number.POSITIVE_INFINITY;

  const describe = (list: Sample[]) =>
    list
      .slice(0, 8)
      .map(
        (s) =>
          `${s.kind} at ${secs(s.start - loadStart)} took ${secs(s.end - s.start)} (HTTP ${s.status})`,
      )
      .join('; ');
  const slow = samples.filter((s) => s.end - s.start > HANG_LIMIT_MS);
  if (slow.length > 0) console.log(`  slower than ${secs(HANG_LIMIT_MS)}: ${describe(slow)}`);
  const lateFailures = after.filter((s) => !s.ok);
  if (lateFailures.length > 0) console.log(`  failed after the restart: ${describe(lateFailures)}`);
  console.log(`  app log: ${target.app.logFile}`);
  check(
    before.length > 0 && before.every((s) => s.ok),
    `before the outage all ${before.length} requests succeeded`,
  );
  check(
    target.app.child.exitCode === null,
    'the app process stayed up through the PostgreSQL restart',
  );
  check(
    longest(samples) <= HANG_LIMIT_MS,
    `no request hung: longest during the outage ${secs(longest(during))}, overall ${secs(longest(samples))} (limit ${secs(HANG_LIMIT_MS)})`,
  );
  check(
    recovery <= RECOVERY_LIMIT_MS,
    `recovered ${Number.isFinite(recovery) ? secs(recovery) : 'never'} after PostgreSQL accepted connections ` +
      `(limit ${secs(RECOVERY_LIMIT_MS)}); ${after.filter((s) => !s.ok).length} of ${after.length} requests after it failed`,
  );
}

/** 5: SIGTERM while dashboards (the slowest pages) are in flight; they complete, the app exits. */
async function drain(target: Target, check: Check): Promise<void> {
  const inFlight = new Set<Promise<Sample>>();
  const settled: Sample[] = [];
  let stopping = false;
  let i = 0;
  const loops = Array.from({ length: 8 }, async () => {
    while (!stopping) {
      const p = request(target, 'dashboard', i++);
      inFlight.add(p);
      settled.push(await p);
      inFlight.delete(p);
    }
  });
  await sleep(3000);
  const sentAt = now();
  const pending = [...inFlight];
  stopping = true;
  target.app.child.kill('SIGTERM');
  const drained = await Promise.all(pending);
  await Promise.all(loops);
  const code = await Promise.race([
    target.app.exited,
    sleep(15_000).then(() => 'timeout' as const),
  ]);
  const exitMs = now() - sentAt;
  const failed = drained.filter((s) => !s.ok);
  if (failed.length > 0)
    console.log(
      `  failed: ${failed.map((s) => `HTTP ${s.status} after ${secs(s.end - s.start)}`).join('; ')}`,
    );
  check(
    drained.length > 0 && drained.every((s) => s.ok),
    `SIGTERM with ${drained.length} dashboard requests in flight: ${drained.filter((s) => s.ok).length} completed with 200`,
  );
  check(
    code === 143 || code === 0,
    `the app exited on its own ${secs(exitMs)} after SIGTERM (exit ${code}; 143 = 128 + SIGTERM, Next's graceful exit)`,
  );
}

process.exit(await main());
