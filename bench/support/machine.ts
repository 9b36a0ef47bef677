// What machine and versions a benchmark ran on (recorded next to its figures).
import { execFileSync } from 'node:child_process';
import os from 'node:os';

export type MachineInfo = {
  date: string;
  cores: number;
  memoryGiB: number;
  kernel: string;
  node: string;
  postgres: string;
  loadAverage: string;
};

/** `loadavg` as the 1/5/15-minute figures `uptime` prints. */
export function loadAverage(): string {
  return os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(', ');
}

export function machineInfo(databaseUrl: string): MachineInfo {
  let postgres = 'unknown';
  try {
    postgres = execFileSync('psql', [databaseUrl, '-Atc', 'show server_version'], {
      encoding: 'utf8',
    }).trim();
  } catch {
    // recorded as unknown
  }
  return {
    date: new Date().toISOString().slice(0, 16).replace('T', ' ') + ' UTC',
    cores: os.cpus().length,
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    kernel: os.release(),
    node: process.version,
    postgres,
    loadAverage: loadAverage(),
  };
}
