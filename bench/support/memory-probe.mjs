// Preloaded into the app by `npm run bench -- --memory-log FILE` (NODE_OPTIONS=--import): every
// 200 ms each Node process of the app appends one JSON line to $BENCH_MEMORY_LOG with its resident
// memory next to V8's own figures (heap used and reserved per space, memory outside the heap), so
// what the process tree's RSS is made of can be read after a run (bench/memory-log-summary.ts).
import fs from 'node:fs';
import v8 from 'node:v8';

const file = process.env.BENCH_MEMORY_LOG;
if (file) {
  const command = process.argv.slice(1, 3).join(' ');
  const timer = setInterval(() => {
    const m = process.memoryUsage();
    const spaces = {};
    for (const s of v8.getHeapSpaceStatistics()) {
      spaces[s.space_name] = { used: s.space_used_size, size: s.space_size };
    }
    const line = {
      t: Date.now(),
      pid: process.pid,
      command,
      rss: m.rss,
      heapTotal: m.heapTotal,
      heapUsed: m.heapUsed,
      external: m.external,
      arrayBuffers: m.arrayBuffers,
      heapLimit: v8.getHeapStatistics().heap_size_limit,
      spaces,
    };
    try {
      fs.appendFileSync(file, `${JSON.stringify(line)}\n`);
    } catch {
      // the folder went away: the bench is over
    }
  }, 200);
  timer.unref();
}
