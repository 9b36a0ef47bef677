import { expect, test } from '@playwright/test';

/**
 * DESIGN section 6: the dashboard route's first-load JavaScript stays under 300 KB compressed.
 * Measured strictly: every script a first visit fetches until the network is idle, so the
 * sparkline's lazily loaded chart chunk counts too.
 */
const FIRST_LOAD_JS_BUDGET = 300 * 1024;

test('the dashboard loads under 300 KB of compressed JavaScript', async ({ page }) => {
  await page.goto('/sign-in');
  await page.getByRole('button', { name: /^Owner:/ }).click();
  await expect(page).toHaveURL(/\/o\/northwind-cloud$/);
  await expect(page.getByTestId('north-star-card').first()).toBeVisible();

  // A fresh page load of the dashboard, with an empty cache: every script it needs, as sent.
  const fresh = await page
    .context()
    .browser()!
    .newContext({ storageState: await page.context().storageState() });
  const dashboard = await fresh.newPage();
  const scripts: { url: string; encoding: string; bytes: number }[] = [];
  dashboard.on('response', async (response) => {
    if (response.request().resourceType() !== 'script') return;
    const sizes = await response.request().sizes();
    scripts.push({
      url: response.url(),
      encoding: (await response.allHeaders())['content-encoding'] ?? 'none',
      bytes: sizes.responseBodySize,
    });
  });
  await dashboard.goto('/o/northwind-cloud', { waitUntil: 'networkidle' });
  await expect(dashboard.getByTestId('north-star-card').first()).toBeVisible();
  await fresh.close();

  for (const s of [...scripts].sort((a, b) => b.bytes - a.bytes))
    console.log(`  ${(s.bytes / 1024).toFixed(1).padStart(6)} KB  ${new URL(s.url).pathname}`);
  const total = scripts.reduce((sum, s) => sum + s.bytes, 0);
  console.log(
    `dashboard first-load JavaScript: ${(total / 1024).toFixed(1)} KB compressed in ${scripts.length} files`,
  );
  expect(scripts.length).toBeGreaterThan(0);
  // Compression starts at 1 KB (a smaller body would only grow): every larger script is compressed.
  for (const s of scripts.filter((x) => x.bytes >= 1024))
    expect(s.encoding, `${s.url} should be sent compressed`).not.toBe('none');
  expect(total).toBeLessThan(FIRST_LOAD_JS_BUDGET);
});
