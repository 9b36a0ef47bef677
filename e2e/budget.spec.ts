import { expect, test, type Page, type Response } from '@playwright/test';
import { DEMO_PERSONAS, routeKey, signInAsPersona, visitReachablePages } from './helpers';

/**
 * DESIGN section 6: every signed-in page's first-load JavaScript stays under 300 KB compressed.
 * Every page each demo persona can reach (e2e/helpers.ts `visitReachablePages`) is loaded with
 * the browser cache off, and every script it fetches until the network is idle counts, as sent
 * (lazily loaded chunks such as the charts' too). The figures are printed, largest page first.
 */
const FIRST_LOAD_JS_BUDGET = 300 * 1024;

/**
 * Pages that miss the budget today (issue 21, open), each named with why: they are printed as
 * MISSED and held under the size they were measured at, so they cannot grow while the fix is
 * pending; every other page must be under the budget. The KPI page: when its chart is in the
 * first viewport (the owner's north star), the chart's code (recharts via Tremor, 109.5 KB) loads
 * with the page, 352.2 KB in all; below the fold it loads when scrolled to (234 KB). The fix is a
 * chart drawn on the server, as the dashboard's sparkline now is.
 */
const KNOWN_MISSES: Readonly<Record<string, { ceiling: number; why: string }>> = {
  '/o/northwind-cloud/kpis/:id': {
    ceiling: 356 * 1024,
    why: 'issue 21: the actual-vs-target chart (recharts via Tremor) loads when it is in the first viewport',
  },
};

type Script = { url: string; encoding: string; bytes: number };

/** Opens `href` as a first visit (no cache) and returns the scripts it fetched, as sent. */
async function firstLoadScripts(page: Page, href: string): Promise<Script[]> {
  const scripts: Script[] = [];
  const pending: Promise<void>[] = [];
  const onResponse = (response: Response) => {
    if (response.request().resourceType() !== 'script') return;
    pending.push(
      (async () => {
        const sizes = await response.request().sizes();
        scripts.push({
          url: response.url(),
          encoding: (await response.allHeaders())['content-encoding'] ?? 'none',
          bytes: sizes.responseBodySize,
        });
      })(),
    );
  };
  page.on('response', onResponse);
  try {
    const response = await page.goto(href, { waitUntil: 'networkidle' });
    expect.soft(response?.status(), `${href} answered`).toBeLessThan(400);
    await Promise.all(pending);
  } finally {
    page.off('response', onResponse);
  }
  return scripts;
}

const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;

for (const persona of DEMO_PERSONAS) {
  test(`${persona}: every reachable page loads under 300 KB of compressed JavaScript`, async ({
    page,
  }) => {
    test.setTimeout(420_000);
    await signInAsPersona(page, persona);
    // A first visit of each page: the browser cache off (memory cache included).
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });

    const totals: { href: string; bytes: number; files: number; largest: Script[] }[] = [];
    await visitReachablePages(page, 'Main', async (href) => {
      const scripts = await firstLoadScripts(page, href);
      expect.soft(scripts.length, `${href} loaded scripts`).toBeGreaterThan(0);
      // Compression starts at 1 KB (a smaller body would only grow): every larger script is compressed.
      for (const s of scripts.filter((x) => x.bytes >= 1024))
        expect.soft(s.encoding, `${s.url} should be sent compressed`).not.toBe('none');
      totals.push({
        href,
        bytes: scripts.reduce((sum, s) => sum + s.bytes, 0),
        files: scripts.length,
        largest: [...scripts].sort((a, b) => b.bytes - a.bytes).slice(0, 4),
      });
    });

    totals.sort((a, b) => b.bytes - a.bytes);
    console.log(`${persona}: first-load JavaScript, compressed, of ${totals.length} pages`);
    for (const t of totals) {
      console.log(
        `  ${kb(t.bytes).padStart(9)} in ${String(t.files).padStart(2)} files  ${routeKey(t.href)}`,
      );
      for (const s of t.largest)
        console.log(`      ${kb(s.bytes).padStart(9)}  ${new URL(s.url).pathname}`);
    }
    for (const t of totals) {
      const known = KNOWN_MISSES[routeKey(t.href)];
      if (known && t.bytes >= FIRST_LOAD_JS_BUDGET) {
        console.log(`  MISSED: ${routeKey(t.href)} at ${kb(t.bytes)} (${known.why})`);
        expect
          .soft(t.bytes, `${routeKey(t.href)} first-load JavaScript grew past its known miss`)
          .toBeLessThan(known.ceiling);
        continue;
      }
      expect
        .soft(t.bytes, `${routeKey(t.href)} first-load JavaScript`)
        .toBeLessThan(FIRST_LOAD_JS_BUDGET);
    }
  });
}
