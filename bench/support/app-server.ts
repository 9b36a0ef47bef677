// Builds the app into its own dist folder and runs `next start` on a port of its own.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { runtimeRoleUrl } from '@/db/runtime-url';
import { sleep } from './stats';

export const BENCH_DIST_DIR = '.next-bench';
export const BENCH_AUTH_SECRET = 'bench-only-secret-0123456789abcdefghijklmnopqrstuvwxyz';

export type AppServer = {
  url: string;
  child: ChildProcess;
  exited: Promise<number | null>;
  /** The server's stdout and stderr. */
  logFile: string;
};

/**
 * The app's database settings as in production: it connects as the runtime role (row-level
 * security applies) and migrates as the owner of `ownerUrl`'s database.
 */
export function appDatabaseEnv(ownerUrl: string): Record<string, string> {
  return { DATABASE_URL: runtimeRoleUrl(ownerUrl), MIGRATION_DATABASE_URL: ownerUrl };
}

function appEnv(ownerUrl: string, url: string): NodeJS.ProcessEnv {
  return {
    ...process.env,
    NODE_ENV: 'production',
    NEXT_DIST_DIR: BENCH_DIST_DIR,
    NEXT_TELEMETRY_DISABLED: '1',
    ...appDatabaseEnv(ownerUrl),
    AUTH_SECRET: BENCH_AUTH_SECRET,
    NEXTAUTH_URL: url,
    DEMO_MODE: '0',
    // The benchmarks sign in a handful of times and ingest far more than a human would.
    API_RATE_LIMIT_PER_MINUTE: '100000',
  };
}

/** `next build` into .next-bench (a no-op when `skip`); throws when the build fails. */
export function buildApp(skip = false): void {
  if (skip) return;
  const started = performance.now();
  const result = spawnSync('npx', ['next', 'build'], {
    stdio: ['ignore', 'ignore', 'inherit'],
    env: {
      ...process.env,
      NODE_ENV: 'production',
      NEXT_DIST_DIR: BENCH_DIST_DIR,
      NEXT_TELEMETRY_DISABLED: '1',
    },
  });
  if (result.status !== 0) throw new Error(`next build failed (exit ${result.status})`);
  console.log(
    `next build into ${BENCH_DIST_DIR}: ${((performance.now() - started) / 1000).toFixed(1)} s`,
  );
}

/**
 * The Node flags of the app's `npm start` (package.json's `start` script, `node <flags>
 * node_modules/next/dist/bin/next start` or plain `next start`), so that the benchmarks run the app
 * the way the README tells people to start it. Throws on any other shape of the script rather
 * than measure something else.
 */
export function startScriptNodeFlags(appDir = '.'): string[] {
  const pkg = JSON.parse(fs.readFileSync(path.join(appDir, 'package.json'), 'utf8')) as {
    scripts?: Record<string, string>;
  };
  const script = (pkg.scripts?.start ?? '').trim();
  if (script === 'next start') return [];
  const m = /^node((?: --[\w-]+(?:=\S+)?)*) node_modules\/next\/dist\/bin\/next start$/.exec(
    script,
  );
  if (!m)
    throw new Error(`package.json's start script has a shape the bench cannot follow: ${script}`);
  return m[1]!.trim().split(' ').filter(Boolean);
}

/**
 * Starts `next start` on 127.0.0.1:port with the Node flags of `npm start` (startScriptNodeFlags;
 * `extraNodeFlags` after them, so they win: a benchmark's experiment) and waits until
 * /api/health answers 200. Its database: see appDatabaseEnv; `overrides` last, such as a pooler's
 * DATABASE_URL. `appDir` serves the build of another checkout (its own .next-bench, node_modules
 * and start script), such as a baseline to compare with.
 */
export async function startApp(
  ownerUrl: string,
  port: number,
  overrides: Record<string, string> = {},
  appDir?: string,
  extraNodeFlags: string[] = [],
): Promise<AppServer> {
  const url = `http://127.0.0.1:${port}`;
  const logFile = `/tmp/kpi-bench-app-${port}.log`;
  const log = fs.openSync(logFile, 'w');
  const child = spawn(
    'node',
    [
      ...startScriptNodeFlags(appDir),
      ...extraNodeFlags,
      'node_modules/next/dist/bin/next',
      'start',
      '-p',
      String(port),
      '-H',
      '127.0.0.1',
    ],
    { env: { ...appEnv(ownerUrl, url), ...overrides }, stdio: ['ignore', log, log], cwd: appDir },
  );
  fs.closeSync(log);
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => resolve(code)),
  );
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`next start exited with ${child.exitCode}`);
    try {
      const res = await fetch(`${url}/api/health`);
      if (res.ok) return { url, child, exited, logFile };
    } catch {
      // not listening yet
    }
    await sleep(250);
  }
  child.kill('SIGKILL');
  throw new Error('next start did not become healthy within 60 s');
}

/** SIGTERM, then SIGKILL after `graceMs`; resolves with the exit code (null when killed). */
export async function stopApp(app: AppServer, graceMs = 10_000): Promise<number | null> {
  if (app.child.exitCode !== null) return app.child.exitCode;
  app.child.kill('SIGTERM');
  const timer = setTimeout(() => app.child.kill('SIGKILL'), graceMs);
  const code = await app.exited;
  clearTimeout(timer);
  return code;
}
