import { expect, test, type Page, type TestInfo } from '@playwright/test';
import { signUp, uniqueAccount } from './helpers';

/**
 * Organization settings as an owner uses them: a fiscal-year change previewed ("what will be
 * recomputed") before it is applied, a time zone found by typing, the locale, status thresholds
 * refused when out of order and saved when right; and a second organization created from the
 * organization switcher, landing on it.
 */

async function shoot(page: Page, testInfo: TestInfo, name: string) {
  for (const width of [1280, 390]) {
    await page.setViewportSize({ width, height: width === 390 ? 844 : 900 });
    await page.screenshot({ path: testInfo.outputPath(`${name}-${width}.png`), fullPage: true });
  }
  await page.setViewportSize({ width: 1280, height: 900 });
}

test('the settings page: fiscal year with a preview, time zone, locale and thresholds', async ({
  page,
}, testInfo) => {
  test.setTimeout(120_000);
  await page.setViewportSize({ width: 1280, height: 900 });
  const base = await signUp(page, uniqueAccount('Settings'));

  // A quarterly KPI with a value, so the fiscal-year change has something to regroup.
  await page.goto(`${base}/kpis/new`);
  const kpiForm = page.getByRole('form', { name: 'New KPI' });
  await kpiForm.getByLabel('Name', { exact: true }).fill('Quarterly bookings');
  await kpiForm.getByLabel('Cadence').selectOption('quarter');
  await kpiForm.getByRole('button', { name: 'Create KPI' }).click();
  await expect(page).toHaveURL(/\/kpis\/[0-9a-f-]{36}$/);
  const checkin = page.getByRole('form', { name: 'Record a value' });
  // A flow's entry adds to its period's total.
  await checkin.getByLabel('Amount to add').fill('40');
  await checkin.getByRole('button', { name: 'Record value' }).click();
  await expect(page.getByText('40').first()).toBeVisible();

  await page.goto(`${base}/settings`);
  const org = page.getByRole('form', { name: 'Organization' });
  await expect(org.getByLabel('Organization name')).toBeVisible();
  await expect(org.getByLabel('Time zone')).toHaveValue('UTC');
  await expect(org.getByLabel('Fiscal year starts in')).toHaveValue('1');
  await expect(org.getByLabel('Locale for numbers, currencies and dates')).toHaveValue('en-US');

  // Changing the fiscal year asks first, saying what will be recomputed.
  await org.getByLabel('Fiscal year starts in').selectOption('2');
  await org.getByLabel('Time zone').fill('Europe/Berlin');
  await org.getByLabel('Locale for numbers, currencies and dates').selectOption('de-DE');
  await expect(org.getByText('1.234,5 · 31.12.26')).toBeVisible();
  await org.getByRole('button', { name: 'Save organization' }).click();
  const preview = org.getByTestId('settings-preview');
  await expect(preview).toContainText('Fiscal years will start in February instead of January.');
  await expect(preview).toContainText('1 quarterly period of 1 KPI will be recomputed');
  await expect(preview).toContainText('will follow Europe/Berlin');
  await shoot(page, testInfo, 'settings-preview');
  await preview.getByRole('button', { name: 'Apply changes' }).click();
  await expect(org.getByRole('status')).toContainText('Saved.');
  await expect(org.getByRole('status')).toContainText('period values were recomputed');

  // A time zone must be one of the list.
  await org.getByLabel('Time zone').fill('Mars/Olympus');
  await org.getByRole('button', { name: 'Save organization' }).click();
  await expect(
    org.getByText('Choose a time zone from the list, such as Europe/Berlin'),
  ).toBeVisible();

  // Thresholds: on track must be above at risk.
  const thresholds = page.getByRole('form', { name: 'Status thresholds' });
  await expect(thresholds.getByLabel('On track at (% of target)')).toHaveValue('100');
  await expect(thresholds.getByLabel('At risk at (% of target)')).toHaveValue('85');
  await expect(thresholds.getByLabel('Grade flows after (% of the period)')).toHaveValue('33');
  await thresholds.getByLabel('At risk at (% of target)').fill('100');
  await thresholds.getByRole('button', { name: 'Save thresholds' }).click();
  await expect(
    thresholds.getByText('"At risk at" must be below "On track at" (100%).'),
  ).toBeVisible();
  await thresholds.getByLabel('On track at (% of target)').fill('110');
  await thresholds.getByRole('button', { name: 'Save thresholds' }).click();
  await expect(thresholds.getByRole('status')).toHaveText('Saved.');

  // All of it holds after a reload.
  await page.reload();
  await expect(org.getByLabel('Time zone')).toHaveValue('Europe/Berlin');
  await expect(org.getByLabel('Fiscal year starts in')).toHaveValue('2');
  await expect(org.getByLabel('Locale for numbers, currencies and dates')).toHaveValue('de-DE');
  await expect(thresholds.getByLabel('On track at (% of target)')).toHaveValue('110');
  await expect(thresholds.getByLabel('At risk at (% of target)')).toHaveValue('100');
  await expect(page.getByRole('form', { name: 'KPI limits' })).toBeVisible();
  await expect(page.getByRole('form', { name: 'Check-in reminders' })).toBeVisible();
  await shoot(page, testInfo, 'settings');
});

test('a second organization from the organization switcher', async ({ page }, testInfo) => {
  test.setTimeout(90_000);
  await page.setViewportSize({ width: 1280, height: 900 });
  const account = uniqueAccount('Switcher');
  const base = await signUp(page, account);
  const firstSlug = base.split('/').pop()!;

  const switcher = page.locator('summary', { hasText: 'Switch organization' });
  await switcher.click();
  await page.getByText('+ New organization').click();
  const form = page.getByRole('form', { name: 'New organization' });
  await form.getByLabel('Organization name').fill('Second Venture');
  await expect(form.getByLabel('Web address')).toHaveValue('second-venture');
  // The first organization's address is taken.
  await form.getByLabel('Web address').fill(firstSlug);
  await form.getByRole('button', { name: 'Create organization' }).click();
  await expect(form.getByText('This web address is taken: choose another.').first()).toBeVisible();
  await shoot(page, testInfo, 'switcher-new-org');

  const slug = `second-${firstSlug.slice(-10)}`;
  await form.getByLabel('Web address').fill(slug);
  await form.getByRole('button', { name: 'Create organization' }).click();
  await expect(page).toHaveURL(new RegExp(`/o/${slug}$`));
  await expect(page.getByRole('heading', { name: 'Welcome to Second Venture' })).toBeVisible();

  // Both organizations are in the switcher now; the first is one click away.
  await switcher.click();
  const list = page.getByRole('list', { name: 'Your organizations' });
  await expect(list.getByRole('link')).toHaveCount(2);
  await expect(list.getByRole('link', { name: 'Second Venture' })).toHaveAttribute(
    'aria-current',
    'page',
  );
  await list.getByRole('link', { name: account.orgName }).click();
  await expect(page).toHaveURL(new RegExp(`/o/${firstSlug}$`));
});
