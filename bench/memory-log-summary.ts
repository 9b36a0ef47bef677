// `npx tsx bench/memory-log-summary.ts FILE [--every 5]`: what the app's resident memory was made
// of during a bench run (FILE: `npm run bench -- --memory-log FILE`, one JSON line per process
// every 200 ms from bench/support/memory-probe.mjs). Per process: at its largest RSS, how much was
// V8's heap (reserved and used, per space), memory outside it (Buffers and other external
// memory) and the rest (code, stacks, the allocator's own); then the timeline every N seconds.
import fs from 'node:fs';
import { parseArgs } from 'node:util';

type Line = {
  t: number;
  pid: number;
  command: string;
  rss: number;
  heapTotal: number;
  heapUsed: number;
  external: number;
  arrayBuffers: number;
  heapLimit: number;
  spaces: Record<string, { used: number; size: number }>;
};

const { values, positionals } = parseArgs({
  options: { every: { type: 'string', default: '5' } },
  allowPositionals: true,
});
const EVERY_MS = Number(values.every) * 1000;
const mb = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MB`;

for (const file of positionals) {
  const lines = fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Line);
  const byPid = new Map<number, Line[]>();
  for (const l of lines) byPid.set(l.pid, [...(byPid.get(l.pid) ?? []), l]);
  for (const [pid, samples] of byPid) {
    const peak = samples.reduce((a, b) => (b.rss > a.rss ? b : a));
    const maxUsed = Math.max(...samples.map((s) => s.heapUsed));
    const maxTotal = Math.max(...samples.map((s) => s.heapTotal));
    console.log(
      `pid ${pid} (${peak.command}): ${samples.length} samples, heap limit ${mb(peak.heapLimit)}; ` +
        `largest heap used ${mb(maxUsed)}, reserved ${mb(maxTotal)}`,
    );
    console.log(
      `  at its largest RSS ${mb(peak.rss)}: heap reserved ${mb(peak.heapTotal)} (used ${mb(peak.heapUsed)}), ` +
        `external ${mb(peak.external)} (of it ArrayBuffers ${mb(peak.arrayBuffers)}), ` +
        `the rest ${mb(peak.rss - peak.heapTotal - peak.external)}`,
    );
    console.log(
      `  spaces (used / reserved): ${Object.entries(peak.spaces)
        .filter(([, s]) => s.size > 0)
        .map(([name, s]) => `${name.replace(/_space$/, '')} ${mb(s.used)}/${mb(s.size)}`)
        .join(', ')}`,
    );
    let next = 0;
    for (const s of samples) {
      if (s.t < next) continue;
      next = s.t + EVERY_MS;
      const secs = ((s.t - samples[0]!.t) / 1000).toFixed(0).padStart(5);
      console.log(
        `  ${secs} s  rss ${mb(s.rss).padStart(7)}  heap ${mb(s.heapUsed).padStart(7)} of ${mb(s.heapTotal).padStart(7)}  ` +
          `new ${mb(s.spaces.new_space?.size ?? 0).padStart(6)}  old ${mb(s.spaces.old_space?.used ?? 0)}/${mb(s.spaces.old_space?.size ?? 0)}  ` +
          `external ${mb(s.external)}`,
      );
    }
  }
}
