// Where the browser's main-thread time goes on a cold load of each page of the Lighthouse budget
// (bench/lighthouse.ts), by function: V8's CPU profile of the page (Chrome DevTools protocol) at
// a fixed 4x CPU slowdown in a phone viewport, from navigation to 1.5 s after network idle;
// prints the top functions by self time and by inclusive time, with their script and position
// (minified names: look them up in .next-bench/static/chunks). A function's own compile time is
// charged to its caller, so a module loader's self time is mostly the compiling of the modules it
// runs. Complements bench/client-cost.ts (time per script, long tasks). Debian's chromium through
// Playwright.
//   npx tsx bench/client-profile.ts --url http://127.0.0.1:3320 --slug acme --owner owner@x \
//     --member member@x [--password ...] [--top 25]
import { parseArgs } from 'node:util';
import { chromium } from '@playwright/test';
import { lighthousePages } from './lighthouse';
import { signIn } from './support/sign-in';

const { values } = parseArgs({
  options: {
    url: { type: 'string' },
    slug: { type: 'string' },
    owner: { type: 'string' },
    member: { type: 'string' },
    password: { type: 'string', default: 'synthetic-seed-2026' },
    top: { type: 'string', default: '25' },
  },
  strict: true,
});

type ProfileNode = {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
  children?: number[];
};
type Profile = { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[] };

const frameKey = (f: ProfileNode['callFrame']) =>
  `${f.functionName || '(anonymous)'} ${f.url.split('/').pop() || '(native)'}:${f.lineNumber}:${f.columnNumber}`;

function summarize(label: string, profile: Profile, top: number): void {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const self = new Map<string, number>();
  const inclusive = new Map<string, number>();
  let busy = 0;
  profile.samples.forEach((id, i) => {
    const us = profile.timeDeltas[i] ?? 0;
    const frame = byId.get(id)!.callFrame;
    if (['(idle)', '(program)', '(root)'].includes(frame.functionName)) return;
    busy += us;
    self.set(frameKey(frame), (self.get(frameKey(frame)) ?? 0) + us);
    const seen = new Set<string>();
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const key = frameKey(byId.get(cur)!.callFrame);
      if (key.startsWith('(root)') || seen.has(key)) continue;
      seen.add(key);
      inclusive.set(key, (inclusive.get(key) ?? 0) + us);
    }
  });
  const ms = (us: number) => (us / 1000).toFixed(0).padStart(5);
  console.log(`\n${label}: ${ms(busy)} ms busy on the main thread (at 4x)`);
  for (const [title, map] of [
    ['self', self],
    ['inclusive', inclusive],
  ] as const) {
    console.log(`  by ${title} time:`);
    for (const [key, us] of [...map].sort((a, b) => b[1] - a[1]).slice(0, top))
      console.log(`  ${ms(us)} ms  ${key}`);
  }
}

async function main(): Promise<void> {
  const app = values.url!;
  const slug = values.slug!;
  const owner = await signIn(app, values.owner!, values.password!);
  const member = await signIn(app, values.member!, values.password!);
  // The Lighthouse budget's pages, as bench/lighthouse.ts measures them.
  const pages = await lighthousePages(app, slug, owner, member);
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium' });
  try {
    for (const page of pages) {
      const context = await browser.newContext({
        viewport: { width: 412, height: 823 },
        deviceScaleFactor: 1.75,
        isMobile: true,
        hasTouch: true,
        ...(page.cookie ? { extraHTTPHeaders: { Cookie: page.cookie } } : {}),
      });
      const tab = await context.newPage();
      const cdp = await context.newCDPSession(tab);
      await cdp.send('Network.enable');
      await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
      await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
      await cdp.send('Profiler.enable');
      await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
      await cdp.send('Profiler.start');
      await tab.goto(`${app}${page.path}`, { waitUntil: 'networkidle' });
      await tab.waitForTimeout(1500);
      const { profile } = (await cdp.send('Profiler.stop')) as { profile: Profile };
      summarize(page.label, profile, Number(values.top));
      await context.close();
    }
  } finally {
    await browser.close();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
