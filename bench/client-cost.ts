// What the browser executes on the Lighthouse budget's pages (bench/lighthouse.ts), in measures
// that are comparable on a loaded machine: a Chrome trace at a fixed 4x CPU slowdown (main-thread
// script time per script, the tasks over 50 ms and their blocking time), the JavaScript bytes the
// page fetched (decoded) and the React components on the page after the load (found from the
// elements React hydrated). Runs each page `--runs` times alternating with a second app when
// `--url-b` is given (an A/B on the same machine in the same window), printing per-run figures and
// the medians. Debian's chromium through Playwright.
//   npx tsx bench/client-cost.ts --url http://127.0.0.1:3732 [--url-b http://127.0.0.1:3733] \
//     --slug acme --owner owner@x --member member@x [--password ...] [--runs 5]
import fs from 'node:fs';
import { parseArgs } from 'node:util';
import { chromium, type Browser } from '@playwright/test';
import { firstKpiPath } from './lighthouse';
import { signIn } from './support/sign-in';

const CHROMIUM = '/usr/bin/chromium';
const CPU_SLOWDOWN = 4;

export type ClientCost = {
  /** Main-thread time in script (evaluation, compilation, function calls, GC inside them), ms. */
  scriptingMs: number;
  /** The same, per script URL (largest first). */
  byScript: { url: string; ms: number }[];
  /** Sum over main-thread tasks of their time past 50 ms (a load-window TBT at 4x), ms. */
  blockingMs: number;
  longestTaskMs: number;
  /** JavaScript bytes fetched (decoded) and the number of scripts. */
  jsBytes: number;
  jsFiles: number;
  /** Elements React hydrated or rendered, and the components above them, after the load. */
  fibers: number;
  components: number;
};

type TraceEvent = {
  name: string;
  ph: string;
  dur?: number;
  ts: number;
  tid: number;
  pid: number;
  args?: { data?: { url?: string; functionName?: string; stackTrace?: { url: string }[] } };
};

const SCRIPT_EVENTS = new Set([
  'EvaluateScript',
  'v8.compile',
  'v8.compileModule',
  'FunctionCall',
  'TimerFire',
  'EventDispatch',
  'v8.evaluateModule',
  'RunMicrotasks',
  'FireAnimationFrame',
  'FireIdleCallback',
]);

/**
 * The React tree on the page after the load, read from the DOM: the elements React hydrated or
 * rendered (those carrying a fiber) and the function/class components above them (each counted
 * once, found by walking up from every such element).
 */
const COUNT = `(() => {
  const seen = new Set();
  let fibers = 0;
  for (const el of document.querySelectorAll('*')) {
    const key = Object.keys(el).find((k) => k.startsWith('__reactFiber'));
    if (!key) continue;
    fibers += 1;
    for (let f = el[key].return; f && !seen.has(f); f = f.return) {
      if (f.tag === 5) break;
      seen.add(f);
    }
  }
  let components = 0;
  for (const f of seen) if (f.tag === 0 || f.tag === 1 || f.tag === 11 || f.tag === 14 || f.tag === 15) components += 1;
  return { fibers, components };
})()`;

function analyze(
  events: TraceEvent[],
): Omit<ClientCost, 'jsBytes' | 'jsFiles' | 'fibers' | 'components'> {
  // The page's main thread: of the renderer main threads (a navigation may change process), the
  // one that ran the most script.
  const mains = events.filter(
    (e) =>
      e.name === 'thread_name' &&
      (e.args as { name?: string } | undefined)?.name === 'CrRendererMain',
  );
  const scriptTime = (m: TraceEvent) =>
    events
      .filter((e) => e.pid === m.pid && e.tid === m.tid && e.name === 'EvaluateScript')
      .reduce((sum, e) => sum + (e.dur ?? 0), 0);
  const main = mains.sort((a, b) => scriptTime(b) - scriptTime(a))[0];
  const onMain = events.filter(
    (e) => main && e.pid === main.pid && e.tid === main.tid && e.ph === 'X',
  );
  const tasks = onMain.filter(
    (e) => e.name === 'RunTask' || e.name === 'ThreadControllerImpl::RunTask',
  );
  let blockingMs = 0;
  let longestTaskMs = 0;
  for (const t of tasks) {
    const ms = (t.dur ?? 0) / 1000;
    longestTaskMs = Math.max(longestTaskMs, ms);
    if (ms > 50) blockingMs += ms - 50;
  }
  // Top-level script events only (not nested in another script event), attributed to their URL.
  const scripts = onMain
    .filter((e) => SCRIPT_EVENTS.has(e.name))
    .sort((a, b) => a.ts - b.ts || (b.dur ?? 0) - (a.dur ?? 0));
  const byUrl = new Map<string, number>();
  let scriptingMs = 0;
  let openEnd = -1;
  for (const e of scripts) {
    if (e.ts < openEnd) continue;
    openEnd = e.ts + (e.dur ?? 0);
    const ms = (e.dur ?? 0) / 1000;
    scriptingMs += ms;
    const data = e.args?.data;
    const url = data?.url || data?.stackTrace?.[0]?.url || e.name;
    byUrl.set(url, (byUrl.get(url) ?? 0) + ms);
  }
  const byScript = [...byUrl]
    .map(([url, ms]) => ({
      url: url.replace(/^https?:\/\/[^/]+(\/_next\/static\/chunks\/)?/, ''),
      ms,
    }))
    .sort((a, b) => b.ms - a.ms)
    .slice(0, 5);
  return { scriptingMs, byScript, blockingMs, longestTaskMs };
}

/** One cold load of `url` (fresh context, cache off) at 4x CPU slowdown, traced. */
export async function measureOnce(
  browser: Browser,
  url: string,
  cookie?: string,
): Promise<ClientCost> {
  const context = await browser.newContext({
    viewport: { width: 412, height: 823 },
    deviceScaleFactor: 1.75,
    isMobile: true,
    hasTouch: true,
    ...(cookie ? { extraHTTPHeaders: { Cookie: cookie } } : {}),
  });
  try {
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: CPU_SLOWDOWN });
    let jsBytes = 0;
    let jsFiles = 0;
    const jsRequests = new Set<string>();
    cdp.on('Network.responseReceived', (e: { requestId: string; type: string }) => {
      if (e.type === 'Script') jsRequests.add(e.requestId);
    });
    cdp.on('Network.dataReceived', (e: { requestId: string; dataLength: number }) => {
      if (jsRequests.has(e.requestId)) jsBytes += e.dataLength;
    });
    cdp.on('Network.loadingFinished', (e: { requestId: string }) => {
      if (jsRequests.has(e.requestId)) jsFiles += 1;
    });
    const events: TraceEvent[] = [];
    cdp.on('Tracing.dataCollected', (e) => {
      events.push(...(e.value as unknown as TraceEvent[]));
    });
    await cdp.send('Tracing.start', {
      categories: 'devtools.timeline,v8,disabled-by-default-devtools.timeline',
      transferMode: 'ReportEvents',
    });
    const res = await page.goto(url, { waitUntil: 'networkidle', timeout: 180_000 });
    if (!res || res.status() >= 400) throw new Error(`${url} answered ${res?.status()}`);
    if (new URL(page.url()).pathname !== new URL(url).pathname)
      throw new Error(`${url} ended on ${page.url()}`);
    // Hydration may still run after the network is idle (a loaded machine): wait until React's
    // element count holds for a second (at most 20 s).
    let hydration = { fibers: -1, components: 0 };
    for (let i = 0; i < 20; i += 1) {
      await page.waitForTimeout(1000);
      const now = (await page.evaluate(COUNT)) as typeof hydration;
      if (now.fibers > 0 && now.fibers === hydration.fibers) break;
      hydration = now;
    }
    const done = new Promise<void>((resolve) =>
      cdp.once('Tracing.tracingComplete', () => resolve()),
    );
    await cdp.send('Tracing.end');
    await done;
    return {
      ...analyze(events),
      jsBytes,
      jsFiles,
      fibers: hydration.fibers,
      components: hydration.components,
    };
  } finally {
    await context.close();
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

export function formatCost(label: string, runs: ClientCost[]): string[] {
  const m = (f: (c: ClientCost) => number) => median(runs.map(f));
  const lines = [
    `  ${label.padEnd(30)} scripting ${m((c) => c.scriptingMs)
      .toFixed(0)
      .padStart(5)} ms  blocking ${m((c) => c.blockingMs)
      .toFixed(0)
      .padStart(4)} ms` +
      `  longest task ${m((c) => c.longestTaskMs)
        .toFixed(0)
        .padStart(
          4,
        )} ms  JS ${(m((c) => c.jsBytes) / 1024).toFixed(0)} KB in ${m((c) => c.jsFiles)} files` +
      `  React (once stable): ${m((c) => c.components)} components, ${m((c) => c.fibers)} elements`,
    `    runs: scripting ${runs.map((c) => c.scriptingMs.toFixed(0)).join(', ')} ms; blocking ${runs.map((c) => c.blockingMs.toFixed(0)).join(', ')} ms`,
  ];
  const mid = runs.find((c) => c.scriptingMs === m((x) => x.scriptingMs))!;
  lines.push(
    `    by script (median run): ${mid.byScript.map((s) => `${s.url} ${s.ms.toFixed(0)}`).join(', ')}`,
  );
  return lines;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({
    options: {
      url: { type: 'string' },
      'url-b': { type: 'string' },
      slug: { type: 'string' },
      owner: { type: 'string' },
      member: { type: 'string' },
      password: { type: 'string', default: 'synthetic-seed-2026' },
      runs: { type: 'string', default: '5' },
    },
  });
  const apps = [values.url!, ...(values['url-b'] ? [values['url-b']] : [])];
  const runs = Number(values.runs);
  const browser = await chromium.launch({
    ...(fs.existsSync(CHROMIUM) ? { executablePath: CHROMIUM } : {}),
    args: ['--headless', '--no-sandbox', '--disable-gpu'],
  });
  try {
    const plans: { label: string; path: string; cookie: string | undefined }[][] = [];
    for (const app of apps) {
      const owner = await signIn(app, values.owner!, values.password);
      const member = await signIn(app, values.member!, values.password);
      const slug = values.slug!;
      plans.push([
        { label: 'sign-in', path: '/sign-in', cookie: undefined },
        { label: 'dashboard (owner)', path: `/o/${slug}`, cookie: owner },
        { label: 'KPI page (owner)', path: await firstKpiPath(app, slug, owner), cookie: owner },
        { label: 'check-in (member)', path: `/o/${slug}`, cookie: member },
      ]);
    }
    const results = apps.map(() => plans[0]!.map(() => [] as ClientCost[]));
    for (let run = 0; run < runs; run += 1)
      for (let p = 0; p < plans[0]!.length; p += 1)
        for (let a = 0; a < apps.length; a += 1) {
          const page = plans[a]![p]!;
          // A loaded machine may time a page out: one more try, then the run is left out.
          const once = () => measureOnce(browser, `${apps[a]}${page.path}`, page.cookie);
          const cost = await once().catch(() =>
            once().catch(
              (e: Error) => (console.log(`  ${page.path}: ${e.message.split('\n')[0]}`), null),
            ),
          );
          if (cost) results[a]![p]!.push(cost);
        }
    for (let a = 0; a < apps.length; a += 1) {
      console.log(`${apps[a]} (median of ${runs} cold loads at ${CPU_SLOWDOWN}x CPU slowdown):`);
      for (let p = 0; p < plans[a]!.length; p += 1)
        for (const line of formatCost(plans[a]![p]!.label, results[a]![p]!)) console.log(line);
    }
  } finally {
    await browser.close();
  }
}
