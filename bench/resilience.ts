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
import { parseArgs } from 'node:util';
import { buildApp, startApp, stopApp, type AppServer } from './support/app-server';
import {
  actionId,
  now,
  okByKind,
  request,
  runLoad,
  type Kind,
  type Sample,
  type Target,
  syntheticAccounts,
} from './support/mixed-load';
import { createDatabase, ThrowawayCluster } from './support/pg';
import { seedSyntheticOrg } from './support/seeded-org';
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

const secs = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

const KINDS: Kind[] = ['dashboard', 'checkin', 'ingest', 'health'];

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
    const { slug, ownerEmail, password, manual, newKey } = seedSyntheticOrg(dbUrl);
    const apiKey = newKey('bench');

    buildApp(args['skip-build']);
    app = await startApp(dbUrl, Number(args.port));
    const target: Target = {
      url: app.url,
      slug,
      cookie: await signIn(app.url, ownerEmail, password),
      apiKeys: [apiKey],
      accounts: syntheticAccounts(ownerEmail, password),
      kpiIds: manual.map((k) => k.id),
      kpiKeys: manual.map((k) => k.key),
      saveAction: actionId('lib/actions/checkins.ts', 'saveCheckinsAction'),
    };
    const warm = await Promise.all(KINDS.map((k, i) => request(target, k, i)));
    for (const s of warm) if (!s.ok) throw new Error(`warm-up ${s.kind} failed (HTTP ${s.status})`);

    await outage(target, app, cluster, check);
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
    await drain(target, app, check);
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
async function outage(
  target: Target,
  app: AppServer,
  cluster: ThrowawayCluster,
  check: Check,
): Promise<void> {
  console.log(
    `Mixed load, ${WORKERS} clients, ${LOAD_SECONDS} s; PostgreSQL stops at ${OUTAGE_AT} s for ${OUTAGE_SECONDS} s...`,
  );
  const samples: Sample[] = [];
  const loadStart = now();
  const loading = runLoad(
    target,
    KINDS,
    WORKERS,
    () => now() - loadStart > LOAD_SECONDS * 1000,
    samples,
  );
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

  const byKind = (list: Sample[]) => okByKind(KINDS, list);
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
          `${s.kind} at ${secs(s.start - loadStart)} took ${secs(s.end - s.start)} (HTTP ${s.status})` +
          (!s.ok && s.detail ? `: ${s.detail.slice(0, 200)}` : ''),
      )
      .join('; ');
  const slow = samples.filter((s) => s.end - s.start > HANG_LIMIT_MS);
  if (slow.length > 0) console.log(`  slower than ${secs(HANG_LIMIT_MS)}: ${describe(slow)}`);
  const earlyFailures = before.filter((s) => !s.ok);
  if (earlyFailures.length > 0)
    console.log(`  failed before the outage: ${describe(earlyFailures)}`);
  const lateFailures = after.filter((s) => !s.ok);
  if (lateFailures.length > 0) console.log(`  failed after the restart: ${describe(lateFailures)}`);
  console.log(`  app log: ${app.logFile}`);
  check(
    before.length > 0 && before.every((s) => s.ok),
    `before the outage all ${before.length} requests succeeded`,
  );
  check(app.child.exitCode === null, 'the app process stayed up through the PostgreSQL restart');
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
async function drain(target: Target, app: AppServer, check: Check): Promise<void> {
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
  app.child.kill('SIGTERM');
  const drained = await Promise.all(pending);
  await Promise.all(loops);
  const code = await Promise.race([app.exited, sleep(15_000).then(() => 'timeout' as const)]);
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
