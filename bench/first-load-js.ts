// A signed-in page's first-load JavaScript, measured as e2e/budget.spec.ts does (the same
// script count, e2e/first-load-scripts.ts): a fresh browser context with the session cookie,
// every script the first visit fetches until the network is idle, compressed bytes as sent.
// Uses /usr/bin/chromium.
import fs from 'node:fs';
import { chromium } from '@playwright/test';
import { collectScripts, totalBytes } from '../e2e/first-load-scripts';

export type FirstLoadJs = { bytes: number; files: number; uncompressed: string[] };

export async function measureFirstLoadJs(
  baseUrl: string,
  path: string,
  cookie: string,
): Promise<FirstLoadJs> {
  const browser = await chromium.launch({
    ...(fs.existsSync('/usr/bin/chromium') ? { executablePath: '/usr/bin/chromium' } : {}),
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run'],
  });
  try {
    // The session cookie as a request header: Chromium refuses to set production's
    // __Secure- cookie for an http:// URL through the API (the server's Set-Cookie on
    // 127.0.0.1 is fine, which is how e2e/budget.spec.ts signs in).
    const context = await browser.newContext({ extraHTTPHeaders: { cookie } });
    const page = await context.newPage();
    const { result: res, scripts } = await collectScripts(page, () =>
      page.goto(`${baseUrl}${path}`, { waitUntil: 'networkidle', timeout: 60_000 }),
    );
    if (!res?.ok() || !page.url().includes(path))
      throw new Error(`${path} did not load (${page.url()})`);
    return {
      bytes: totalBytes(scripts),
      files: scripts.length,
      uncompressed: scripts.filter((s) => s.encoding === 'none').map((s) => s.url),
    };
  } finally {
    await browser.close();
  }
}
