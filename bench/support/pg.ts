// PostgreSQL helpers for the benchmarks: scratch databases on a server, and throwaway clusters.
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** The newest installed server binaries (Debian layout), as .ci/run finds them. */
export function pgBin(tool: string): string {
  const root = '/usr/lib/postgresql';
  const versions = fs.existsSync(root)
    ? fs
        .readdirSync(root)
        .filter((v) => fs.existsSync(path.join(root, v, 'bin', tool)))
        .sort((a, b) => Number(a) - Number(b))
    : [];
  const newest = versions[versions.length - 1];
  return newest ? path.join(root, newest, 'bin', tool) : tool;
}

export type PgServer = { host: string; port: number; user: string };

export const urlFor = (server: PgServer, database: string): string =>
  `postgres://${server.user}@${server.host}:${server.port}/${database}`;

const connArgs = (s: PgServer) => ['-h', s.host, '-p', String(s.port), '-U', s.user];

export function createDatabase(server: PgServer, name: string): string {
  execFileSync(pgBin('createdb'), [...connArgs(server), name], { stdio: 'inherit' });
  return urlFor(server, name);
}

export function dropDatabase(server: PgServer, name: string): void {
  spawnSync(pgBin('dropdb'), [...connArgs(server), '--if-exists', '--force', name], {
    stdio: 'inherit',
  });
}

export function isReady(server: PgServer): boolean {
  return (
    spawnSync(pgBin('pg_isready'), ['-h', server.host, '-p', String(server.port), '-q']).status ===
    0
  );
}

/**
 * A PostgreSQL cluster of our own in a temp folder (initdb as the `postgres` OS user, trust
 * auth, loopback only), so a test may stop and restart it without touching a shared server.
 */
export class ThrowawayCluster {
  readonly dir: string;
  readonly server: PgServer;

  /** Server settings given at every start (`-c name=value`), such as shared_preload_libraries. */
  private readonly settings: Record<string, string>;

  private constructor(dir: string, port: number, settings: Record<string, string>) {
    this.dir = dir;
    this.server = { host: '127.0.0.1', port, user: 'postgres' };
    this.settings = settings;
  }

  static create(port: number, settings: Record<string, string> = {}): ThrowawayCluster {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kpi-bench-pg-'));
    execFileSync('chown', ['postgres', dir]);
    const cluster = new ThrowawayCluster(dir, port, settings);
    cluster.asPostgres(pgBin('initdb'), ['-D', cluster.dataDir, '-U', 'postgres', '--auth=trust']);
    cluster.start();
    return cluster;
  }

  /** The postmaster's process id (every backend is its child), from postmaster.pid. */
  get postmasterPid(): number {
    return Number(
      fs.readFileSync(path.join(this.dataDir, 'postmaster.pid'), 'utf8').split('\n')[0],
    );
  }

  get dataDir(): string {
    return path.join(this.dir, 'data');
  }

  start(): void {
    this.asPostgres(pgBin('pg_ctl'), [
      '-D',
      this.dataDir,
      '-w',
      '-l',
      path.join(this.dir, 'server.log'),
      '-o',
      [
        `-p ${this.server.port} -k ${this.dir} -c listen_addresses=127.0.0.1 -c max_connections=100`,
        ...Object.entries(this.settings).map(([name, value]) => `-c ${name}=${value}`),
      ].join(' '),
      'start',
    ]);
  }

  /** Fast shutdown: open connections are terminated, in-flight transactions roll back. */
  stop(): void {
    this.asPostgres(pgBin('pg_ctl'), ['-D', this.dataDir, '-m', 'fast', '-w', 'stop']);
  }

  remove(): void {
    spawnSync(
      'runuser',
      ['-u', 'postgres', '--', pgBin('pg_ctl'), '-D', this.dataDir, '-m', 'immediate', 'stop'],
      {
        stdio: 'ignore',
      },
    );
    fs.rmSync(this.dir, { recursive: true, force: true });
  }

  private asPostgres(bin: string, args: string[]): void {
    execFileSync('runuser', ['-u', 'postgres', '--', bin, ...args], {
      stdio: ['ignore', 'ignore', 'inherit'],
    });
  }
}
