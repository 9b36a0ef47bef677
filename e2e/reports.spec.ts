import { expect, test, type Page } from '@playwright/test';
import { pickByTyping } from './helpers';

// The owner's period report: open it, comment on a KPI, download the PDF and CSV, share a
// frozen read-only link that opens without an account, and revoke it.

const ORG = '/o/northwind-cloud';

async function signInAsOwner(page: Page) {
  await page.goto('/sign-in');
  await page.getByRole('button', { name: 'Owner: Morgan Blake' }).click();
  await page.waitForURL((url) => url.pathname.startsWith('/o/'));
}

test('the owner reports, comments, downloads and shares the company report', async ({
  page,
  browser,
}) => {
  await signInAsOwner(page);
  await page.goto(ORG);
  await page
    .getByRole('navigation', { name: 'Main' })
    .getByRole('link', { name: 'Reports' })
    .click();
  await expect(page).toHaveURL(`${ORG}/reports`);
  await expect(
    page.getByRole('heading', { level: 1, name: /^Northwind Cloud report · / }),
  ).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Summary' })).toBeVisible();
  const northStars = page.getByRole('region', { name: /North star/ });
  await expect(northStars).toBeVisible();
  await expect(page.getByRole('heading', { name: 'KPIs by unit' })).toBeVisible();

  // Comment on the north star from its KPI page.
  const kpiLink = northStars.getByRole('link').first();
  const kpiName = (await kpiLink.textContent())!.trim();
  // The tables are one string of markup: their links are routed in place (the same document),
  // not loaded anew.
  await page.evaluate(() => Object.assign(window, { sameDocument: true }));
  await kpiLink.click();
  await expect(page.getByRole('heading', { level: 1, name: kpiName })).toBeVisible();
  expect(await page.evaluate(() => 'sameDocument' in window)).toBe(true);
  const analysis = `Enterprise renewals landed early; e2e ${Date.now().toString(36)}`;
  const panel = page.getByRole('region', { name: 'Commentary' });
  await panel.getByLabel('Analysis').fill(analysis);
  await panel.getByLabel(/Next action/).fill('Review the expansion pipeline');
  await pickByTyping(panel.getByRole('combobox', { name: 'Action owner' }), 'Morgan Blake');
  await panel.getByLabel('Due').fill('2099-12-31');
  await panel.getByRole('button', { name: 'Save commentary' }).click();
  await expect(panel.getByText('Commentary saved.')).toBeVisible();
  await expect(
    panel.getByRole('list', { name: 'Commentary history' }).getByText(analysis),
  ).toBeVisible();

  // The report shows it under the KPI.
  await page.goto(`${ORG}/reports`);
  await expect(page.getByRole('region', { name: /North star/ }).getByText(analysis)).toBeVisible();
  await expect(
    page.getByText('Review the expansion pipeline · Morgan Blake · due 2099-12-31').first(),
  ).toBeVisible();

  // PDF and CSV downloads.
  const pdfHref = await page.getByRole('link', { name: 'Download PDF' }).getAttribute('href');
  const pdf = await page.request.get(pdfHref!);
  expect(pdf.status()).toBe(200);
  expect(pdf.headers()['content-type']).toBe('application/pdf');
  const pdfBody = await pdf.body();
  expect(pdfBody.length).toBeGreaterThan(0);
  expect(pdfBody.subarray(0, 5).toString()).toBe('%PDF-');
  console.log(`company report PDF: ${pdfBody.length} bytes`);
  const csvHref = await page.getByRole('link', { name: 'Download CSV' }).getAttribute('href');
  const csv = await page.request.get(csvHref!);
  expect(csv.headers()['content-type']).toBe('text/csv; charset=utf-8');
  expect(await csv.text()).toContain(analysis);

  // A share link opens in a fresh browser without an account, showing the snapshot only.
  await page.getByRole('button', { name: 'Create share link' }).click();
  const shareUrl = await page.getByLabel('Share link', { exact: true }).inputValue();
  expect(shareUrl).toMatch(/\/share\/[A-Za-z0-9_-]{43}$/);
  const outsider = await browser.newContext();
  const board = await outsider.newPage();
  await board.goto(shareUrl);
  await expect(
    board.getByRole('heading', { level: 1, name: /^Northwind Cloud report · / }),
  ).toBeVisible();
  await expect(board.getByText(analysis)).toBeVisible();
  await expect(board.getByRole('navigation')).toHaveCount(0);
  await expect(board.locator(`a[href^="/o/"]`)).toHaveCount(0);

  // Revoked: the same link is not found (the newest is listed first; the seed's own share link
  // for the token pages' width check stays).
  const revoke = page.getByRole('button', { name: /^Revoke share link/ });
  const links = await revoke.count();
  await revoke.first().click();
  await expect(revoke).toHaveCount(links - 1);
  const gone = await board.goto(shareUrl);
  expect(gone?.status()).toBe(404);
  await expect(board.getByRole('heading', { name: 'Page not found' })).toBeVisible();
  await outsider.close();
});

test('the report prints without navigation, at desktop and phone widths', async ({ page }) => {
  await signInAsOwner(page);
  for (const width of [1440, 375]) {
    await page.setViewportSize({ width, height: 900 });
    await page.goto(`${ORG}/reports`);
    await expect(page.getByRole('heading', { name: 'Summary' })).toBeVisible();
    await page.emulateMedia({ media: 'screen' });
    await page.screenshot({
      path: test.info().outputPath(`report-screen-${width}.png`),
      fullPage: true,
    });
    await page.emulateMedia({ media: 'print' });
    await expect(page.getByRole('navigation', { name: /Main/ }).first()).toBeHidden();
    await expect(page.getByRole('button', { name: 'Show report' })).toBeHidden();
    await expect(page.getByRole('heading', { name: 'KPIs by unit' })).toBeVisible();
    await page.screenshot({
      path: test.info().outputPath(`report-print-${width}.png`),
      fullPage: true,
    });
  }
});
