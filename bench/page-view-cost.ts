// What one page view in a real browser costs the server: the app's CPU time (its process tree, from
// /proc) and the requests the view makes (the document, scripts, and anything the page fetches by
// itself after load, such as the router's prefetches), for the signed-in pages of the Lighthouse
// budget (the owner's dashboard and a KPI page, the member's check-in; not sign-in).
// The dashboard load of `npm run bench` fetches documents only (no JavaScript runs), so it cannot
// see requests a page makes once hydrated. Each view is a fresh browser context (a cold cache, like
// a new visit), measured from navigation to 1.5 s after the network went idle; the first view of
// each page is a warm-up and not counted. Serve the build first (bench/support/app-server.ts
// startApp) and pass its pid; run two builds on two ports and alternate them for an A/B.
//   npx tsx bench/page-view-cost.ts --url http://127.0.0.1:3300 --pid 12345 --slug acme \
//     --owner owner@x --member member@x [--password ...] [--views 8]
import { parseArgs } from 'node:util';
import { chromium } from '@playwright/test';
import { lighthousePages } from './lighthouse';
import { treeCpuMs } from './support/proc-stats';
import { signIn } from './support/sign-in';

const { values } = parseArgs({
  options: {
    url: { type: 'string' },
    pid: { type: 'string' },
    slug: { type: 'string' },
    owner: { type: 'string' },
    member: { type: 'string' },
    password: { type: 'string', default: 'synthetic-seed-2026' },
    views: { type: 'string', default: '8' },
  },
  strict: true,
});
const url = values.url!;
const pid = Number(values.pid);
const views = Number(values.views);
if (!url || !pid || !values.slug || !values.owner || !values.member || !(views > 0)) {
  throw new Error('usage: --url URL --pid PID --slug SLUG --owner EMAIL --member EMAIL [--views N]');
}

const pages = (
  await lighthousePages(
    url,
    values.slug,
    await signIn(url, values.owner, values.password),
    await signIn(url, values.member, values.password),
  )
).filter((p) => p.cookie);

// Debian's chromium (`npx playwright install` cannot reach its downloads here).
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium' });
try {
  for (const page of pages) {
    let cpuMs = 0;
    let requests = 0;
    let fetched = 0;
    for (let i = 0; i <= views; i++) {
      const context = await browser.newContext({ extraHTTPHeaders: { cookie: page.cookie! } });
      const tab = await context.newPage();
      let made = 0;
      let byPage = 0;
      tab.on('request', (request) => {
        made++;
        if (request.resourceType() === 'fetch') byPage++;
      });
      const before = treeCpuMs(pid);
      await tab.goto(`${url}${page.path}`, { waitUntil: 'networkidle' });
      await tab.waitForTimeout(1500);
      const used = treeCpuMs(pid) - before;
      await context.close();
      if (i === 0) continue;
      cpuMs += used;
      requests += made;
      fetched += byPage;
    }
    console.log(
      `${page.label.padEnd(20)} server CPU ${(cpuMs / views).toFixed(1).padStart(6)} ms a view, ` +
        `${(requests / views).toFixed(1)} requests (${(fetched / views).toFixed(1)} fetched by the page) ` +
        `over ${views} views`,
    );
  }
} finally {
  await browser.close();
}
