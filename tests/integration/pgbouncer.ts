// pgbouncer (Debian's package) in transaction mode on loopback, for the pooler test and
// `npm run test:scale`. Runs as the `postgres` OS user (pgbouncer refuses root). Also the
// daemon helpers test:scale starts HAProxy with.
import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';

/** A Debian daemon's command: /usr/sbin/`name` where the package put it there, else `name`. */
export function sbin(name: string): string {
  return fs.existsSync(`/usr/sbin/${name}`) ? `/usr/sbin/${name}` : name;
}

/** The pgbouncer binary, or an error saying how to install it. */
export function pgbouncerBin(): string {
  const bin = sbin('pgbouncer');
  if (bin !== 'pgbouncer' || spawnSync('sh', ['-c', 'command -v pgbouncer']).status === 0)
    return bin;
  throw new Error('pgbouncer is not installed: apt-get install pgbouncer (.ci/run does)');
}

/** A child process that must run until it is stopped; its output goes to the file `log`. */
export function daemon(command: string, argv: string[], log: string): ChildProcess {
  const fd = fs.openSync(log, 'w');
  const child = spawn(command, argv, { stdio: ['ignore', fd, fd] });
  fs.closeSync(fd);
  return child;
}

/**
 * Polls `ready` every 100 ms until it holds. Throws after `ms`, or at once when the daemon
 * `child` has exited, naming its `log`.
 */
export async function waitFor(
  what: string,
  ready: () => boolean | Promise<boolean>,
  opts: { ms?: number; child?: ChildProcess; log?: string } = {},
): Promise<void> {
  const ms = opts.ms ?? 30_000;
  const deadline = Date.now() + ms;
  const see = opts.log ? `: see ${opts.log}` : '';
  while (!(await ready())) {
    const ended = opts.child && (opts.child.exitCode ?? opts.child.signalCode);
    if (ended !== undefined && ended !== null) throw new Error(`${what} exited (${ended})${see}`);
    if (Date.now() > deadline) throw new Error(`${what} did not start within ${ms / 1000} s${see}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port }, () => {
      socket.end();
      resolve(true);
    });
    socket.on('error', () => resolve(false));
  });
}

/** A loopback port nothing listens on now (the OS picks it). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export type Pooler = { url: (user: string, database: string) => string; stop: () => void };

/**
 * Starts pgbouncer on `port` in front of the server at 127.0.0.1:`serverPort`, in transaction
 * mode, every database passed through, trust auth for `users`; its config and log in `dir`.
 */
export async function startPgbouncer(opts: {
  dir: string;
  serverPort: number;
  port: number;
  users: string[];
  poolSize?: number;
}): Promise<Pooler & { child: ChildProcess }> {
  const { dir, serverPort, port } = opts;
  fs.mkdirSync(dir, { recursive: true });
  const ini = path.join(dir, 'pgbouncer.ini');
  fs.writeFileSync(path.join(dir, 'users.txt'), opts.users.map((u) => `"${u}" ""\n`).join(''));
  fs.writeFileSync(
    ini,
    [
      '[databases]',
      `* = host=127.0.0.1 port=${serverPort}`,
      '[pgbouncer]',
      'listen_addr = 127.0.0.1',
      `listen_port = ${port}`,
      'unix_socket_dir =',
      'auth_type = trust',
      `auth_file = ${path.join(dir, 'users.txt')}`,
      'pool_mode = transaction',
      'max_client_conn = 1000',
      `default_pool_size = ${opts.poolSize ?? 20}`,
      'ignore_startup_parameters = extra_float_digits,options',
      '',
    ].join('\n'),
  );
  execFileSync('chown', ['-R', 'postgres', dir]);
  const log = path.join(dir, 'pgbouncer.log');
  const child = daemon('runuser', ['-u', 'postgres', '--', pgbouncerBin(), ini], log);
  await waitFor('pgbouncer', () => accepts(port), { ms: 15_000, child, log });
  return {
    child,
    url: (user, database) => `postgres://${user}@127.0.0.1:${port}/${database}`,
    stop: () => {
      child.kill('SIGTERM');
    },
  };
}
