import { expect, test, type Page } from '@playwright/test';
import { createKpi, signOut, signUp, uniqueAccount } from './helpers';

// The proxy's page cache (lib/server/page-cache.ts) against the production build: a dashboard
// opened again comes from it with a nonce of its own, under which the page's scripts run; a
// change shows at once; an ended session is never answered from it.

/** Opens `path` as a document: how the proxy answered (x-page-cache) and the response's nonce. */
async function open(page: Page, path: string) {
  const response = await page.goto(path);
  expect(response, `no response for ${path}`).not.toBeNull();
  const headers = response!.headers();
  const nonce = /'nonce-([^']+)'/.exec(headers['content-security-policy'] ?? '')?.[1];
  return { how: headers['x-page-cache'], nonce, status: response!.status() };
}

test('a dashboard opened again is the cached page under a fresh nonce; a change or a sign-out is never answered from it', async ({
  browser,
}) => {
  const owner = uniqueAccount('Cache');
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const refused: string[] = [];
  page.on('console', (message) => {
    if (/Content Security Policy|Refused to execute/i.test(message.text())) {
      refused.push(message.text());
    }
  });
  const base = await signUp(page, owner);

  // Rendered by Next, rendered and kept when asked for again (sign-up's landing may have been
  // either), then answered from the cache, each time under a nonce of its own.
  const views = [await open(page, base)];
  while (views.at(-1)!.how !== 'hit' && views.length < 5) views.push(await open(page, base));
  expect(views.at(-1)!.how).toBe('hit');
  const hit = await open(page, base);
  expect(hit.how).toBe('hit');
  expect(hit.status).toBe(200);
  expect(hit.nonce).toBeTruthy();
  expect(hit.nonce).not.toBe(views.at(-1)!.nonce);
  // The page's scripts run under the new nonce: its scripts carry it and the client islands work.
  const scriptNonces = await page
    .locator('script[nonce]')
    .evaluateAll((scripts) => scripts.map((s) => (s as HTMLScriptElement).nonce));
  expect(scriptNonces.length).toBeGreaterThan(0);
  expect(new Set(scriptNonces)).toEqual(new Set([hit.nonce]));
  await expect(page.getByRole('heading', { name: `Welcome to ${owner.orgName}` })).toBeVisible();
  await page.getByLabel('Account menu').click();
  await expect(page.getByRole('button', { name: 'Sign out', exact: true })).toBeVisible();
  await page.keyboard.press('Escape');

  // A change (a new north star) shows on the next view: rendered again, then cached again.
  await createKpi(page, base, {
    name: 'Cached customers',
    rollup: 'manual',
    target: '40',
    northStar: true,
  });
  const northStar = page.getByRole('region', { name: 'North star' });
  for (const how of ['first', 'miss', 'hit']) {
    expect((await open(page, base)).how).toBe(how);
    await expect(northStar.getByText('Cached customers')).toBeVisible();
  }
  expect(refused).toEqual([]);

  // Signed out, the same session cookie gets the sign-in page, never the cached dashboard.
  const cookies = await context.cookies();
  await signOut(page);
  const replay = await browser.newContext();
  await replay.addCookies(cookies);
  const stale = await replay.newPage();
  const after = await open(stale, base);
  expect(after.how).toBeUndefined();
  await expect(stale).toHaveURL(/\/sign-in/);
  await replay.close();
  await context.close();
});
