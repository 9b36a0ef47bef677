// What a process and its descendants use, from /proc (Linux): resident memory and CPU time.
// The bench samples `next start` with these during the dashboard load (DESIGN section 6: each app
// instance's resident memory under 512 MB). Elsewhere /proc is missing and every figure is 0.
import fs from 'node:fs';

const CLOCK_TICKS = 100; // USER_HZ on Linux

function read(path: string): string | null {
  try {
    return fs.readFileSync(path, 'utf8');
  } catch {
    return null;
  }
}

/** `pid` and every live descendant of it (children of children too), from /proc/<pid>/stat. */
export function processTree(pid: number): number[] {
  const parents = new Map<number, number[]>();
  let entries: string[] = [];
  try {
    entries = fs.readdirSync('/proc');
  } catch {
    return [pid];
  }
  for (const name of entries) {
    if (!/^\d+$/.test(name)) continue;
    const stat = read(`/proc/${name}/stat`);
    if (!stat) continue;
    // The command name is in parentheses and may hold spaces: fields count from after its ')'.
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    const list = parents.get(ppid) ?? [];
    list.push(Number(name));
    parents.set(ppid, list);
  }
  const tree: number[] = [];
  const queue = [pid];
  while (queue.length > 0) {
    const next = queue.shift()!;
    tree.push(next);
    queue.push(...(parents.get(next) ?? []));
  }
  return tree;
}

/** One process of a tree: its id, command line (shortened) and resident memory in bytes. */
export type ProcessRss = { pid: number; command: string; bytes: number };

/** Resident memory (VmRSS) of each process of the tree under `pid`. */
export function treeRss(pid: number): ProcessRss[] {
  const out: ProcessRss[] = [];
  for (const p of processTree(pid)) {
    const m = /^VmRSS:\s+(\d+) kB/m.exec(read(`/proc/${p}/status`) ?? '');
    if (!m) continue;
    const command = (read(`/proc/${p}/cmdline`) ?? '').split('\0').filter(Boolean).join(' ');
    out.push({ pid: p, command: command.slice(0, 120), bytes: Number(m[1]) * 1024 });
  }
  return out;
}

/** CPU time (user + system) the process tree under `pid` has used so far, in milliseconds. */
export function treeCpuMs(pid: number): number {
  let ticks = 0;
  for (const p of processTree(pid)) {
    const stat = read(`/proc/${p}/stat`);
    if (!stat) continue;
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // utime and stime are fields 14 and 15 of stat(5); fields here start at field 3 (state).
    ticks += Number(fields[11]) + Number(fields[12]);
  }
  return (ticks / CLOCK_TICKS) * 1000;
}

/**
 * Samples the tree's resident memory every `everyMs` until stopped; `stop()` returns the largest
 * total and each process's share of it at that sample.
 */
export function sampleRss(
  pid: number,
  everyMs = 200,
): { stop: () => { bytes: number; processes: ProcessRss[] } } {
  let peak = { bytes: 0, processes: [] as ProcessRss[] };
  const sample = () => {
    const processes = treeRss(pid);
    const bytes = processes.reduce((sum, p) => sum + p.bytes, 0);
    if (bytes > peak.bytes) peak = { bytes, processes };
  };
  sample();
  const timer = setInterval(sample, everyMs);
  return {
    stop: () => {
      clearInterval(timer);
      sample();
      return peak;
    },
  };
}
