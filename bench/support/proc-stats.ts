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

/** Resident memory (VmRSS) of the process tree under `pid`, in bytes. */
export function treeRssBytes(pid: number): number {
  let kb = 0;
  for (const p of processTree(pid)) {
    const m = /^VmRSS:\s+(\d+) kB/m.exec(read(`/proc/${p}/status`) ?? '');
    if (m) kb += Number(m[1]);
  }
  return kb * 1024;
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

/** Samples the tree's resident memory every `everyMs` until stopped; `stop()` returns the maximum. */
export function sampleRss(pid: number, everyMs = 200): { stop: () => number } {
  let max = treeRssBytes(pid);
  const timer = setInterval(() => {
    max = Math.max(max, treeRssBytes(pid));
  }, everyMs);
  return {
    stop: () => {
      clearInterval(timer);
      return Math.max(max, treeRssBytes(pid));
    },
  };
}
