// `npm run test:scale`: three `next start` instances behind HAProxy, and pgbouncer in transaction
// mode in front of PostgreSQL, all on loopback, on a throwaway cluster of its own (port 55441).
// Installs pgbouncer and haproxy from Debian's packages when missing. A mixed load (dashboards,
// check-ins, API ingests, sign-ins) runs first on one instance, then for about 60 s through the
// balancer; then it checks:
//   1. no request failed;
//   2. a write through one instance is on the next dashboard of every other instance;
//   3. one Idempotency-Key sent to the three instances at once writes once, and all three answer
//      the same;
//   4. a key's rate limit holds across instances (exactly the limit succeeds in one minute);
//   5. the job queue sends each due message once although every instance runs a worker (and
//      three `jobs:run-due` processes run at the same moment);
//   6. `db:verify` finds no drift.
// Prints both throughputs. `--skip-build` reuses an existing .next-bench build. Exit 1 on failure.
import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { runtimeRoleUrl } from '@/db/runtime-url';
import { daemon, sbin, startPgbouncer, waitFor } from '../tests/integration/pgbouncer';
import { startSmtpSink } from '../tests/integration/smtp-sink';
import {
  BENCH_AUTH_SECRET,
  buildApp,
  startApp,
  stopApp,
  type AppServer,
} from './support/app-server';
import {
  actionId,
  cpuOversubscription,
  MAX_REQUEST_TIMEOUT_MS,
  now,
  requestTimeoutMs,
  okByKind,
  runLoad,
  type Kind,
  type Sample,
  type Target,
  syntheticAccounts,
} from './support/mixed-load';
import { createDatabase, ThrowawayCluster, urlFor } from './support/pg';
import { psql, seedSyntheticOrg } from './support/seeded-org';
import { signIn } from './support/sign-in';
import { sleep } from './support/stats';

const { values: args } = parseArgs({
  options: {
    'skip-build': { type: 'boolean', default: false },
    seconds: { type: 'string', default: '60' },
    'pg-port': { type: 'string', default: '55441' },
    'pooler-port': { type: 'string', default: '6441' },
    'lb-port': { type: 'string', default: '3720' },
  },
  strict: true,
});

const LOAD_SECONDS = Number(args.seconds);
const SINGLE_SECONDS = Math.max(10, Math.round(LOAD_SECONDS / 2));
const WORKERS = 8;
const INSTANCES = 3;
const RATE_LIMIT = 240;
const LOAD_KEYS = 8;
const DUE_MAILS = 120;
const KINDS: Kind[] = ['dashboard', 'checkin', 'ingest', 'dashboard', 'signin'];
const KIND_NAMES = [...new Set(KINDS)];

type Check = (ok: boolean, text: string) => void;

/** Installs Debian packages whose command is missing (the script's own prerequisites). */
function ensureCommands(commands: Record<string, string>): void {
  const missing = Object.entries(commands).filter(
    ([command]) =>
      spawnSync('sh', ['-c', `command -v ${command} || test -x /usr/sbin/${command}`]).status !== 0,
  );
  if (missing.length === 0) return;
  const packages = missing.map(([, pkg]) => pkg);
  console.log(`Installing ${packages.join(', ')} (apt-get)...`);
  execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit' });
  execFileSync('apt-get', ['install', '-y', '-qq', ...packages], {
    stdio: 'inherit',
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  });
}

/** HAProxy on `port`, round robin over the instances, health-checked on /api/health. */
async function startBalancer(dir: string, port: number, apps: AppServer[]): Promise<ChildProcess> {
  const cfg = path.join(dir, 'haproxy.cfg');
  fs.writeFileSync(
    cfg,
    [
      'global',
      '  maxconn 2000',
      // One line per request (server, timers, termination state) in haproxy.log.
      '  log stdout format raw local0',
      'defaults',
      '  mode http',
      '  log global',
      '  option httplog',
      '  timeout connect 5s',
      // Above the longest a load client waits (MAX_REQUEST_TIMEOUT_MS): the client gives up
      // first, so a slow answer is the client's timeout, never a 504 made up by the balancer.
      `  timeout client ${MAX_REQUEST_TIMEOUT_MS / 1000 + 10}s`,
      `  timeout server ${MAX_REQUEST_TIMEOUT_MS / 1000 + 10}s`,
      // A health check declares an instance down when /api/health does not answer within the
      // time a client waits on this machine now (without it, HAProxy waits only `inter`, 2 s:
      // under a load of 40 it took every instance out of rotation and answered 503 to all).
      `  timeout check ${Math.round(requestTimeoutMs() / 1000)}s`,
      'frontend app',
      `  bind 127.0.0.1:${port}`,
      '  default_backend instances',
      'backend instances',
      '  balance roundrobin',
      '  option httpchk GET /api/health',
      // Which instance answered: the load records it with each request.
      '  http-response set-header X-Served-By %[srv_name]',
      ...apps.map((a, i) => `  server app${i + 1} ${new URL(a.url).host} check inter 2s`),
      '',
    ].join('\n'),
  );
  const log = path.join(dir, 'haproxy.log');
  const child = daemon(sbin('haproxy'), ['-f', cfg, '-db'], log);
  await waitFor(
    'haproxy',
    async () => {
      try {
        return (await fetch(`http://127.0.0.1:${port}/api/health`)).ok;
      } catch {
        return false;
      }
    },
    { child, log },
  );
  return child;
}

/** The owner dashboard's north-star figure as shown (tags stripped). */
async function northStarShown(url: string, slug: string, cookie: string): Promise<string> {
  const html = await (await fetch(`${url}/o/${slug}`, { headers: { cookie } })).text();
  const at = html.indexOf('data-testid="north-star-value"');
  if (at < 0) return '(no north star on the page)';
  const tail = html.slice(at, at + 600);
  const inner = tail.slice(tail.indexOf('>') + 1);
  return inner
    .replace(/<[^>]*>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, 60);
}

function summarizeRun(label: string, samples: Sample[], seconds: number): number {
  const rate = samples.length / seconds;
  console.log(
    `  ${label}: ${samples.length} requests in ${seconds} s = ${rate.toFixed(1)}/s (${okByKind(KIND_NAMES, samples)} ok)`,
  );
  return rate;
}

async function main(): Promise<number> {
  const failures: string[] = [];
  const check: Check = (ok, text) => {
    console.log(`${ok ? 'PASS' : 'FAIL'}  ${text}`);
    if (!ok) failures.push(text);
  };
  ensureCommands({ pgbouncer: 'pgbouncer', haproxy: 'haproxy' });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kpi-scale-'));
  const cluster = ThrowawayCluster.create(Number(args['pg-port']));
  const children: ChildProcess[] = [];
  const apps: AppServer[] = [];
  const sink = await startSmtpSink();
  try {
    const dbUrl = createDatabase(cluster.server, 'kpi_scale');
    const poolerPort = Number(args['pooler-port']);
    const poolerUrl = urlFor({ ...cluster.server, port: poolerPort }, 'kpi_scale');
    console.log(`Throwaway cluster on port ${cluster.server.port}; pgbouncer on ${poolerPort}`);
    const { slug, ownerEmail, password, manual, newKey } = seedSyntheticOrg(dbUrl);
    const apiKeys = Array.from({ length: LOAD_KEYS }, (_, i) => newKey(`load ${i + 1}`));
    const limitedKey = newKey('rate limit check');

    const pooler = await startPgbouncer({
      dir,
      serverPort: cluster.server.port,
      port: poolerPort,
      users: ['postgres', 'kpi_app'],
    });
    children.push(pooler.child);
    buildApp(args['skip-build']);
    const lbUrl = `http://127.0.0.1:${args['lb-port']}`;
    const instanceEnv = {
      DATABASE_URL: runtimeRoleUrl(poolerUrl),
      DATABASE_POOLER: 'transaction',
      MIGRATION_DATABASE_URL: dbUrl,
      SMTP_URL: sink.url,
      APP_URL: lbUrl,
      API_RATE_LIMIT_PER_MINUTE: String(RATE_LIMIT),
    };
    for (let i = 0; i < INSTANCES; i += 1) {
      apps.push(await startApp(dbUrl, Number(args['lb-port']) + 1 + i, instanceEnv));
    }
    children.push(await startBalancer(dir, Number(args['lb-port']), apps));
    console.log(
      `${INSTANCES} instances (${apps.map((a) => a.url).join(', ')}) behind HAProxy at ${lbUrl}`,
    );

    const cookie = await signIn(lbUrl, ownerEmail, password);
    const target = (url: string): Target => ({
      url,
      slug,
      cookie,
      apiKeys,
      kpiIds: manual.map((k) => k.id),
      kpiKeys: manual.map((k) => k.key),
      saveAction: actionId('lib/actions/checkins.ts', 'saveCheckinsAction'),
      accounts: syntheticAccounts(ownerEmail, password),
    });

    // Throughput: the same load on one instance, then on three behind the balancer.
    console.log(
      `Mixed load, ${WORKERS} clients: ${SINGLE_SECONDS} s on one instance, then ${LOAD_SECONDS} s through HAProxy; ` +
        `load average ${os
          .loadavg()
          .map((l) => l.toFixed(2))
          .join(', ')} on ${os.cpus().length} cores ` +
        `(${cpuOversubscription().toFixed(1)}x oversubscribed: a client waits ${(requestTimeoutMs() / 1000).toFixed(0)} s)...`,
    );
    const single: Sample[] = [];
    let from = now();
    await runLoad(
      target(apps[0]!.url),
      KINDS,
      WORKERS,
      () => now() - from > SINGLE_SECONDS * 1000,
      single,
    );
    const balanced: Sample[] = [];
    from = now();
    await runLoad(
      target(lbUrl),
      KINDS,
      WORKERS,
      () => now() - from > LOAD_SECONDS * 1000,
      balanced,
    );
    const oneRate = summarizeRun('one instance', single, SINGLE_SECONDS);
    const threeRate = summarizeRun(`${INSTANCES} instances`, balanced, LOAD_SECONDS);
    console.log(`  throughput ratio (three / one): ${(threeRate / oneRate).toFixed(2)}x`);
    const failed = [...single, ...balanced].filter((s) => !s.ok);
    if (failed.length > 0) reportFailures(failed, dir, apps);
    check(failed.length === 0, `no request failed (${single.length + balanced.length} sent)`);

    await coherence(apps, slug, cookie, apiKeys[0]!, northStarFeeders(dbUrl, slug), check);
    await idempotency(apps, apiKeys[1]!, manual[0]!.key, dbUrl, check);
    await rateLimit(apps, limitedKey, manual[0]!.key, check);
    await jobsOnce(dbUrl, slug, poolerUrl, sink, check);

    try {
      const verify = execFileSync('npx', ['tsx', 'lib/cli/verify.ts'], {
        encoding: 'utf8',
        env: { ...process.env, DATABASE_URL: dbUrl },
      });
      check(true, `db:verify: ${verify.trim().split('\n').pop()}`);
    } catch (error) {
      check(false, `db:verify: ${(error as { stdout?: string }).stdout ?? String(error)}`);
    }
  } catch (error) {
    console.error(error);
    failures.push(String(error));
  } finally {
    for (const app of apps) await stopApp(app);
    for (const child of children) child.kill('SIGTERM');
    await sink.close();
    cluster.remove();
    console.log(`logs: ${dir}, ${apps.map((a) => a.logFile).join(', ')}`);
  }
  console.log(
    `load average at the end: ${os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(', ')}`,
  );
  console.log(
    failures.length === 0 ? 'All scale-out checks passed.' : `${failures.length} check(s) failed.`,
  );
  return failures.length === 0 ? 0 : 1;
}

/**
 * Every failed request (kind, status, which instance, when, how long, what came back), then what
 * the balancer and the instances logged about failures: HAProxy's lines for answers of 5xx or
 * with a termination state other than `----` (a timeout, an aborted or refused connection), and
 * the instances' error lines.
 */
function reportFailures(failed: Sample[], dir: string, apps: AppServer[]): void {
  console.log(`  ${failed.length} failed request(s):`);
  for (const s of failed) {
    console.log(
      `    ${s.kind} HTTP ${s.status} via ${s.instance ?? 'unknown instance'}, started at ${(s.start / 1000).toFixed(1)} s, ` +
        `took ${((s.end - s.start) / 1000).toFixed(1)} s: ${(s.detail ?? '').replace(/\s+/g, ' ')}`,
    );
  }
  const haproxyLog = path.join(dir, 'haproxy.log');
  const lines = fs.existsSync(haproxyLog) ? fs.readFileSync(haproxyLog, 'utf8').split('\n') : [];
  // httplog: ... frontend backend/server Tq/Tw/Tc/Tr/Ta status bytes - - TERM ...
  const bad = lines.filter((l) => /\s(5\d\d|-1)\s/.test(l) || /\s[A-Zc-s][A-Z-]--\s/.test(l));
  console.log(`  HAProxy: ${bad.length} failing line(s) of ${lines.filter(Boolean).length}`);
  for (const l of bad.slice(0, 20)) console.log(`    ${l}`);
  for (const app of apps) {
    const log = fs.existsSync(app.logFile) ? fs.readFileSync(app.logFile, 'utf8').split('\n') : [];
    const errors = log.filter((l) => /error|fail|refused|timeout|\[sign-in/i.test(l));
    console.log(`  ${app.url}: ${errors.length} error line(s) in ${app.logFile}`);
    for (const l of errors.slice(0, 20)) console.log(`    ${l.slice(0, 400)}`);
  }
}

/**
 * Up to ten hand-recorded KPIs whose values reach the formula north star the owner's
 * dashboard leads with: below one of its added inputs through sums and averages only, so a large
 * value written to them moves the figure the coherence check reads. (Any ten hand-recorded KPIs,
 * as before, were sometimes all outside the north star's drivers: the write changed nothing on any
 * instance and the check failed for a reason that was not coherence.)
 */
function northStarFeeders(dbUrl: string, slug: string): string[] {
  return psql(
    dbUrl,
    `with recursive ns as (
       select k.org_id, k.key, k.formula, k.formula_inputs from kpis k
         join organizations o on o.id = k.org_id
        where o.slug = '${slug}' and k.is_north_star and k.formula is not null
          and k.archived_on is null
        order by k.sort_order, k.id limit 1),
     feeders(org_id, id, rollup) as (
       select k.org_id, k.id, k.rollup from kpis k join ns on k.org_id = ns.org_id
        where k.key = any(ns.formula_inputs) and k.key <> ns.key and k.archived_on is null
          -- an input the formula subtracts would move it the other way: only added ones
          and position('- ' || k.key in ns.formula) = 0
       union all
       select c.org_id, c.id, c.rollup from kpis c
         join feeders f on c.org_id = f.org_id and c.parent_id = f.id
        where f.rollup in ('sum', 'average', 'weighted_average') and c.archived_on is null)
     select distinct k.key from feeders f join kpis k on k.org_id = f.org_id and k.id = f.id
      where f.rollup = 'manual' and k.key is not null
      order by k.key limit 10`,
  );
}

/** 2: a write through instance 1 is on the next dashboard of instances 2 and 3 (warm caches). */
async function coherence(
  apps: AppServer[],
  slug: string,
  cookie: string,
  apiKey: string,
  keys: string[],
  check: Check,
): Promise<void> {
  if (keys.length === 0) {
    check(
      false,
      'a write through one instance is on the next dashboard of every other instance (no KPI feeds the north star)',
    );
    return;
  }
  const before = await Promise.all(apps.map((a) => northStarShown(a.url, slug, cookie)));
  const today = new Date();
  const lastMonth = new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), 0));
  const dates = [lastMonth.toISOString().slice(0, 10), today.toISOString().slice(0, 10)];
  const res = await fetch(`${apps[0]!.url}/api/v1/checkins`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${apiKey}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({
      items: keys.flatMap((kpi) =>
        dates.map((observedOn) => ({ kpi, observedOn, value: '987654' })),
      ),
    }),
  });
  const answer = await res.text();
  const after = await Promise.all(apps.map((a) => northStarShown(a.url, slug, cookie)));
  // The write's answer too: when the check fails, it tells a refused write from a stale cache.
  console.log(
    `  write through instance 1 answered ${res.status}` +
      (res.ok ? '' : `: ${answer.replace(/\s+/g, ' ').slice(0, 300)}`),
  );
  console.log(
    `  north star before: ${before.join(' | ')}; after a write through instance 1: ${after.join(' | ')}`,
  );
  check(
    (res.status === 201 || res.status === 200) &&
      after[0] !== before[0] &&
      after.every((v) => v === after[0]),
    'a write through one instance is on the next dashboard of every other instance',
  );
}

/** JSON text with object keys sorted (a stored answer comes back from jsonb in its key order). */
function canonicalJson(text: string): string {
  const sortKeys = (v: unknown): unknown =>
    Array.isArray(v)
      ? v.map(sortKeys)
      : v && typeof v === 'object'
        ? Object.fromEntries(
            Object.entries(v as Record<string, unknown>)
              .sort(([a], [b]) => a.localeCompare(b))
              .map(([k, x]) => [k, sortKeys(x)]),
          )
        : v;
  try {
    return JSON.stringify(sortKeys(JSON.parse(text)));
  } catch {
    return text;
  }
}

/** 3: the same Idempotency-Key to the three instances at once: one write, the same answer. */
async function idempotency(
  apps: AppServer[],
  apiKey: string,
  kpiKey: string,
  dbUrl: string,
  check: Check,
): Promise<void> {
  const key = `scale-${Date.now()}`;
  const value = '4242.125';
  const body = JSON.stringify({ items: [{ kpi: kpiKey, observedOn: '2025-01-15', value }] });
  const answers = await Promise.all(
    apps.flatMap((a) =>
      [0, 1].map(async () => {
        const res = await fetch(`${a.url}/api/v1/checkins`, {
          method: 'POST',
          headers: {
            Authorization: `Bearer ${apiKey}`,
            'Content-Type': 'application/json',
            'Idempotency-Key': key,
          },
          body,
        });
        return { status: res.status, body: canonicalJson(await res.text()) };
      }),
    ),
  );
  const written = Number(
    psql(
      dbUrl,
      `select count(*) from checkins c join kpis k on k.id = c.kpi_id where k.key = '${kpiKey}' and c.value = ${value}`,
    )[0],
  );
  const statuses = answers.map((a) => a.status);
  console.log(`  idempotent twins answered ${statuses.join(', ')}; readings written: ${written}`);
  check(
    written === 1 && answers.every((a) => a.status === 201 && a.body === answers[0]!.body),
    `one Idempotency-Key sent ${answers.length} times to ${apps.length} instances at once wrote once, all answered alike`,
  );
}

/** 4: a key's per-minute limit across instances: exactly RATE_LIMIT succeed within one minute. */
async function rateLimit(
  apps: AppServer[],
  apiKey: string,
  kpiKey: string,
  check: Check,
): Promise<void> {
  // Start early in a minute, so the burst stays inside one window.
  while (new Date().getSeconds() > 30) await sleep(500);
  const extra = 30;
  let i = 0;
  const statuses: number[] = [];
  const burstStart = Date.now();
  await Promise.all(
    Array.from({ length: 6 }, async () => {
      while (i < RATE_LIMIT + extra) {
        const app = apps[i++ % apps.length]!;
        const res = await fetch(`${app.url}/api/v1/kpis/${kpiKey}`, {
          headers: { Authorization: `Bearer ${apiKey}` },
        });
        await res.arrayBuffer();
        statuses.push(res.status);
      }
    }),
  );
  const burstSeconds = (Date.now() - burstStart) / 1000;
  const ok = statuses.filter((s) => s === 200).length;
  const limited = statuses.filter((s) => s === 429).length;
  const other = statuses.filter((s) => s !== 200 && s !== 429);
  console.log(
    `  ${statuses.length} reads with one key over ${apps.length} instances in ${burstSeconds.toFixed(1)} s: ${ok} answered, ${limited} refused (429), others: ${other.join(', ') || 'none'}`,
  );
  // A burst longer than the minute spans two windows: the check cannot tell then, and fails.
  check(
    ok === RATE_LIMIT && limited === extra,
    `the rate limit of ${RATE_LIMIT} a minute held across instances` +
      (burstSeconds > 60
        ? ` (inconclusive: the burst took ${burstSeconds.toFixed(0)} s, longer than the window)`
        : ''),
  );
}

/** 5: due mail is sent once, with every instance's worker and three `jobs:run-due` racing for it. */
async function jobsOnce(
  dbUrl: string,
  slug: string,
  poolerUrl: string,
  sink: Awaited<ReturnType<typeof startSmtpSink>>,
  check: Check,
): Promise<void> {
  psql(
    dbUrl,
    `with n as (
       insert into notifications (org_id, recipient_user_id, kind, dedup_key, subject, body, link, created_at)
       select o.id, m.user_id, 'checkin_reminder', 'scale-check:' || g, 'scale-check ' || g, 'Scale check', '/o/' || o.slug, now()
       from organizations o join memberships m on m.org_id = o.id and m.role = 'owner', generate_series(1, ${DUE_MAILS}) g
       where o.slug = '${slug}'
       returning id, org_id, subject)
     insert into mail_deliveries (org_id, notification_id, to_address, subject, text_body, html_body, unsubscribe_url,
       status, attempts, next_attempt_at, message_id, created_at, updated_at)
     select org_id, id, 'scale-check@example.com', subject, 'Scale check', '<p>Scale check</p>', 'http://127.0.0.1/u',
       'pending', 0, now(), '<' || id || '@scale.test>', now(), now() from n
     returning 1`,
  );
  const env = {
    ...process.env,
    DATABASE_URL: runtimeRoleUrl(poolerUrl),
    DATABASE_POOLER: 'transaction',
    MIGRATION_DATABASE_URL: dbUrl,
    SMTP_URL: sink.url,
    AUTH_SECRET: BENCH_AUTH_SECRET,
  };
  await Promise.all(
    [0, 1, 2].map(
      () =>
        new Promise<void>((resolve) => {
          const child = spawn('npx', ['tsx', 'lib/cli/jobs-run-due.ts'], { env, stdio: 'ignore' });
          child.once('exit', () => resolve());
        }),
    ),
  );
  const ours = () => sink.to(['scale-check@example.com']);
  const deadline = Date.now() + 90_000;
  while (ours().length < DUE_MAILS && Date.now() < deadline) await sleep(1000);
  await sleep(5000); // anything sent twice would arrive by now
  const ids = ours().map((m) => /^Message-ID:\s*(\S+)/im.exec(m.raw)?.[1] ?? '');
  const unique = new Set(ids).size;
  const sent = Number(
    psql(
      dbUrl,
      `select count(*) from mail_deliveries where to_address = 'scale-check@example.com' and status = 'sent'`,
    )[0],
  );
  console.log(
    `  ${DUE_MAILS} due messages: ${ids.length} received, ${unique} distinct, ${sent} marked sent`,
  );
  check(
    ids.length === DUE_MAILS && unique === DUE_MAILS && sent === DUE_MAILS,
    `the job queue sent each of ${DUE_MAILS} due messages once with ${INSTANCES} workers and 3 run-due processes racing`,
  );
}

process.exit(await main());
