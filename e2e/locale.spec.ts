import { expect, test, type Page } from '@playwright/test';
import { createKpi, shootWidths, signUp, uniqueAccount } from './helpers';

/**
 * The organization's locale end to end: switched to de-DE on the settings page, a KPI page and
 * the dashboard write numbers as 1.234,5 and dates as dd.mm.yyyy, a check-in typed 1.234,5 is
 * recorded as 1234.5 (an English-style 1,234.5 is refused, naming the expected form), period
 * labels are German (`Dez. 2026`: the month as Intl writes it in de-DE), and switching back to
 * en-US writes the same value as 1,234.5 and the month as `Dec 2026`.
 */

/** This month as Intl labels it in `locale` (the new organization keeps its days in UTC or near). */
function thisMonth(locale: string): string {
  return new Intl.DateTimeFormat(locale, {
    month: 'short',
    year: 'numeric',
    timeZone: 'UTC',
  }).format(new Date());
}

async function chooseLocale(page: Page, base: string, locale: string) {
  await page.goto(`${base}/settings`);
  const org = page.getByRole('form', { name: 'Organization' });
  await org.getByLabel('Locale for numbers, currencies and dates').selectOption(locale);
  await org.getByRole('button', { name: 'Save organization' }).click();
  await expect(org.getByRole('status')).toContainText('Saved.');
}

test('de-DE: numbers and dates written and read the German way, then back to en-US', async ({
  page,
}, testInfo) => {
  test.setTimeout(150_000);
  await page.setViewportSize({ width: 1280, height: 900 });
  const base = await signUp(page, uniqueAccount('Locale'));
  await createKpi(page, base, {
    name: 'Umsatz',
    rollup: 'manual',
    target: '2000',
    northStar: true,
  });
  const kpiUrl = page.url();
  // One decimal, so 1234.5 shows whole.
  await page.locator('summary', { hasText: 'Edit KPI' }).click();
  const edit = page.getByRole('form', { name: 'Edit KPI' });
  await edit.getByLabel('Decimals').fill('1');
  await edit.getByRole('button', { name: 'Save changes' }).click();
  await expect(edit.getByText('Saved.')).toBeVisible();

  await chooseLocale(page, base, 'de-DE');

  await page.goto(kpiUrl);
  const checkin = page.getByRole('form', { name: 'Record a value' });
  // An English-style number is refused, naming the form the locale writes.
  await checkin.getByLabel('Amount to add').fill('1,234.5');
  await checkin.getByRole('button', { name: 'Record value' }).click();
  await expect(checkin.getByText(/Write the number as 1\.234,5/)).toBeVisible();
  await checkin.getByLabel('Amount to add').fill('1.234,5');
  await checkin.getByRole('button', { name: 'Record value' }).click();
  await expect(checkin.getByText(/^Recorded 1\.234,5 on \d{2}\.\d{2}\.\d{4}\.$/)).toBeVisible();
  await page.reload();
  await expect(page.getByText('1.234,5').first()).toBeVisible();
  await expect(page.getByText('2.000,0').first()).toBeVisible();
  await expect(page.getByText(/\d{2}\.\d{2}\.\d{4}/).first()).toBeVisible();
  // The period in German: the actual's heading names this month the way de-DE writes it.
  await expect(page.getByText(`Actual · ${thisMonth('de-DE')}`, { exact: true })).toBeVisible();
  await expect(page.getByText(`Actual · ${thisMonth('en-US')}`, { exact: true })).toHaveCount(0);
  await shootWidths(page, testInfo, 'locale-kpi-de', [1280, 390]);

  // The dashboard, on this period so far: the north star card in German.
  await page.goto(base);
  await page
    .getByTestId('so-far')
    .getByRole('link', { name: /^Open / })
    .click();
  const star = page.getByTestId('north-star-card');
  await expect(star.getByTestId('north-star-value')).toHaveText('1.234,5');
  await expect(star).toContainText('2.000,0');
  await shootWidths(page, testInfo, 'locale-dashboard-de', [1280, 390]);

  // Back to en-US: the same value the American way.
  await chooseLocale(page, base, 'en-US');
  await page.goto(kpiUrl);
  await expect(page.getByText('1,234.5').first()).toBeVisible();
  await expect(page.getByText(/\d{2}\/\d{2}\/\d{4}/).first()).toBeVisible();
  await expect(page.getByText(`Actual · ${thisMonth('en-US')}`, { exact: true })).toBeVisible();
});
