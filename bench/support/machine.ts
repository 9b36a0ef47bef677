// What machine and versions a benchmark ran on (recorded next to its figures).
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
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

/**
 * CPU seconds the whole machine has spent busy since boot (every core: user, nice, system, irq,
 * softirq, steal from /proc/stat). The difference across a run, divided by its transactions, is
 * what one transaction costs in CPU, client and server together; 0 where /proc is missing.
 */
export function machineBusySeconds(): number {
  try {
    const cpu = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/);
    const [user, nice, system, , , irq, softirq, steal] = cpu.slice(1).map(Number);
    const ticks = [user, nice, system, irq, softirq, steal].reduce<number>(
      (a, b) => a + (b ?? 0),
      0,
    );
    return ticks / 100; // USER_HZ
  } catch {
    return 0;
  }
}
