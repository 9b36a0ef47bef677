// `npx tsx bench/cpu-profile-summary.ts FILE.cpuprofile [--top 30] [--skip-ms N]`: where a V8 CPU
// profile's time went (such as `npm run bench -- --dashboards-only --profile DIR` writes for `next
// start`): self time by function and by package or app file, and total (inclusive) time of the
// app's own functions, as shares of the busy (non-idle) time. `--skip-ms`: leave out the first N ms
// of the profile (the server's start and warm-up, when a profile covers the whole process).
import fs from 'node:fs';
import { parseArgs } from 'node:util';

type Frame = { functionName: string; url: string; lineNumber: number };
type ProfileNode = { id: number; callFrame: Frame; children?: number[] };
type Profile = {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
};

const { values, positionals } = parseArgs({
  options: { top: { type: 'string', default: '30' }, 'skip-ms': { type: 'string', default: '0' } },
  allowPositionals: true,
});
const TOP = Number(values.top);
const SKIP_US = Number(values['skip-ms']) * 1000;

/** A short place for a script URL: the package under node_modules, else the path from the app. */
function place(url: string): string {
  if (!url) return '(native)';
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) {
    const inner = /next\/dist\/(compiled\/[^/]+|server\/[^/]+|[^/]+)/.exec(url);
    return pkg[1] === 'next' && inner ? `next/${inner[1]}` : pkg[1]!;
  }
  const app = /\.next[^/]*\/(server\/.*)$/.exec(url);
  if (app) return app[1]!.replace(/\/[^/]*$/, '/*');
  return url.replace(/^file:\/\//, '').replace(/^.*\/(node:)?/, '');
}

function summarize(file: string): void {
  const profile = JSON.parse(fs.readFileSync(file, 'utf8')) as Profile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const self = new Map<number, number>();
  let at = 0;
  profile.samples.forEach((id, i) => {
    at += profile.timeDeltas[i] ?? 0;
    if (at < SKIP_US) return;
    self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
  });
  let busy = 0;
  const byFunction = new Map<string, number>();
  const byPlace = new Map<string, number>();
  const inclusive = new Map<string, number>();
  for (const [id, us] of self) {
    const node = byId.get(id)!;
    const name = node.callFrame.functionName || '(anonymous)';
    if (name === '(idle)' || name === '(program)') continue;
    busy += us;
    const fnKey = `${name} ${place(node.callFrame.url)}:${node.callFrame.lineNumber + 1}`;
    byFunction.set(fnKey, (byFunction.get(fnKey) ?? 0) + us);
    const p = name === '(garbage collector)' ? '(garbage collector)' : place(node.callFrame.url);
    byPlace.set(p, (byPlace.get(p) ?? 0) + us);
    // Inclusive time per function name (counted once per sample even when recursive).
    const seen = new Set<string>();
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const f = byId.get(cur)!.callFrame;
      const key = `${f.functionName || '(anonymous)'} ${place(f.url)}`;
      if (seen.has(key)) continue;
      seen.add(key);
      inclusive.set(key, (inclusive.get(key) ?? 0) + us);
    }
  }
  const wall = (profile.endTime - profile.startTime - Math.min(SKIP_US, at)) / 1e6;
  console.log(
    `${file}: ${wall.toFixed(1)} s profiled${SKIP_US ? ` after the first ${SKIP_US / 1000} ms` : ''}, ` +
      `${(busy / 1e6).toFixed(1)} s busy`,
  );
  const show = (title: string, map: Map<string, number>) => {
    console.log(`\n${title}`);
    for (const [k, us] of [...map].sort((a, b) => b[1] - a[1]).slice(0, TOP))
      console.log(`  ${((us / busy) * 100).toFixed(1).padStart(5)}%  ${k}`);
  };
  show('Self time by package or file:', byPlace);
  show('Self time by function:', byFunction);
  show('Total (inclusive) time by function:', inclusive);
}

for (const file of positionals) summarize(file);
