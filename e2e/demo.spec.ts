import fs from 'node:fs';
import { expect, test, type Page } from '@playwright/test';

/**
 * The demo as its personas first see it: within its own KPI limits on the owner's and the
 * department head's dashboards (screenshots at desktop and phone width), and the company report's
 * PDF from the production build, with its embedded font (kept as an artifact to look at).
 */

const ORG = '/o/northwind-cloud';
const WIDTHS = [1440, 375] as const;

async function signInAs(page: Page, persona: string) {
  await page.goto('/sign-in');
  await page.getByRole('button', { name: persona }).click();
  await page.waitForURL((url) => url.pathname.startsWith('/o/'));
}

test('the owner sees a demo within its KPI limits, and its report PDF embeds its font', async ({
  page,
}) => {
  await signInAs(page, 'Owner: Morgan Blake');
  await page.goto(ORG);
  await expect(page.locator('#kpi-focus')).toContainText(
    'Every unit and person is within the limits, and every KPI is reporting.',
  );
  for (const width of WIDTHS) {
    await page.setViewportSize({ width, height: 900 });
    await page.goto(ORG, { waitUntil: 'networkidle' });
    await page.screenshot({
      path: test.info().outputPath(`demo-owner-${width}.png`),
      fullPage: true,
    });
  }

  await page.goto(`${ORG}/reports`);
  const pdfHref = await page.getByRole('link', { name: 'Download PDF' }).getAttribute('href');
  const pdf = await page.request.get(pdfHref!);
  expect(pdf.status()).toBe(200);
  const body = await pdf.body();
  fs.writeFileSync(test.info().outputPath('demo-company-report.pdf'), body);
  const raw = body.toString('latin1');
  // The font files reached the production build: the PDF embeds them, and no built-in font.
  expect(raw).toMatch(/\/BaseFont \/[A-Z]{6}\+DejaVuSans\b/);
  expect(raw).toContain('/FontFile2');
  expect(raw).not.toMatch(/\/BaseFont \/Helvetica/);
});

test('the department head is within the limit and sees sensible alignments', async ({ page }) => {
  await signInAs(page, 'Department head: Daniel Okafor');
  for (const width of WIDTHS) {
    await page.setViewportSize({ width, height: 900 });
    await page.goto(ORG, { waitUntil: 'networkidle' });
    await expect(page.getByText('People over the limit')).toHaveCount(0);
    await page.screenshot({
      path: test.info().outputPath(`demo-head-${width}.png`),
      fullPage: true,
    });
  }
});

test('KPI kinds: badges and filters in the explorer, each unit’s balance of indicators', async ({
  page,
}) => {
  await signInAs(page, 'Owner: Morgan Blake');
  // Each unit's balance of indicators; their sums are what the explorer's filters must count.
  await page.goto(`${ORG}/units`);
  const balances = await page.getByTestId('unit-balance').allTextContents();
  expect(balances.length).toBeGreaterThan(0);
  for (const b of balances) expect(b).toMatch(/^ \(\d+ leading, \d+ lagging\)$/);
  const sumOf = (kind: string) =>
    balances
      .map((b) => Number(b.match(new RegExp(`(\\d+) ${kind}`))![1]))
      .reduce((a, n) => a + n, 0);
  const leading = sumOf('leading');
  const lagging = sumOf('lagging');
  expect(leading).toBeGreaterThan(0);
  expect(lagging).toBeGreaterThan(0);
  for (const width of WIDTHS) {
    await page.setViewportSize({ width, height: 900 });
    await page.screenshot({
      path: test.info().outputPath(`kinds-units-${width}.png`),
      fullPage: true,
    });
  }

  // A shared link with the filter in it opens filtered. The count follows each selection as it
  // renders: the assertions retry until it does (a read straight after selectOption can see the
  // count of the state before).
  await page.goto(`${ORG}/kpis?indicator=leading`);
  await expect(page.getByLabel('Indicator')).toHaveValue('leading');
  const count = page.getByTestId('explorer-match-count');
  await expect(count).toHaveText(String(leading));
  await expect(page.getByTestId('kpi-kind').filter({ hasText: 'Leading' }).first()).toBeVisible();
  await page.getByLabel('Category').selectOption('strategic');
  await expect.poll(async () => Number(await count.textContent())).toBeLessThan(leading);
  await page.getByLabel('Indicator').selectOption('');
  await page.getByLabel('Category').selectOption('');
  await page.getByLabel('Indicator').selectOption('lagging');
  await expect(count).toHaveText(String(lagging));
  for (const width of WIDTHS) {
    await page.setViewportSize({ width, height: 900 });
    await page.screenshot({ path: test.info().outputPath(`kinds-explorer-${width}.png`) });
  }
});
