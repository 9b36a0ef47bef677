import { expect, test, type Page, type TestInfo } from '@playwright/test';
import { signUp, uniqueAccount } from './helpers';

/**
 * Values that make sense: a new percent KPI starts with the valid range 0-100 on the KPI form; a
 * check-in outside it is refused with a message naming the range; a value far from the recent
 * readings asks "Save anyway?" and saves once confirmed.
 */

async function shoot(page: Page, testInfo: TestInfo, name: string) {
  for (const width of [1440, 375]) {
    await page.setViewportSize({ width, height: width === 375 ? 812 : 900 });
    await page.screenshot({ path: testInfo.outputPath(`${name}-${width}.png`), fullPage: true });
  }
  await page.setViewportSize({ width: 1280, height: 900 });
}

/** The org-local date `daysAgo` days before today (the sign-up org's zone is UTC). */
function utcDate(daysAgo: number): string {
  return new Date(Date.now() - daysAgo * 86_400_000).toISOString().slice(0, 10);
}

test('a percent KPI gets 0-100, refuses 102% and asks before saving an unusual value', async ({
  page,
}, testInfo) => {
  test.setTimeout(120_000);
  await page.setViewportSize({ width: 1280, height: 900 });
  const base = await signUp(page, uniqueAccount('Ranges'));

  await page.goto(`${base}/kpis/new`);
  const form = page.getByRole('form', { name: 'New KPI' });
  await expect(form.getByLabel('Valid from (optional)')).toHaveValue('');
  await form.getByLabel('Name', { exact: true }).fill('Availability');
  await form.getByLabel('Measure').selectOption('percent');
  await expect(form.getByLabel('Valid from (optional)')).toHaveValue('0');
  await expect(form.getByLabel('Valid to (optional)')).toHaveValue('100');
  await form.getByLabel('Values within a period').selectOption('average');
  await form.getByLabel('Decimals').fill('2');
  await page.evaluate(() => window.scrollTo(0, 0));
  await shoot(page, testInfo, 'kpi-form-valid-range');
  await form.getByRole('button', { name: 'Create KPI' }).click();
  await expect(page).toHaveURL(/\/kpis\/[0-9a-f-]{36}$/);

  const checkin = page.getByRole('form', { name: 'Record a value' });
  const record = async (value: string, date: string) => {
    await checkin.getByLabel('Date').fill(date);
    await checkin.getByLabel(/^Value/).fill(value);
    await checkin.getByRole('button', { name: 'Record value' }).click();
  };
  for (const [i, value] of ['99.5', '99.9', '99.7'].entries()) {
    await record(value, utcDate(3 - i));
    await expect(checkin.getByRole('status')).toContainText(`Recorded ${value}`);
  }

  // Outside the range: refused, naming it.
  await record('102', utcDate(0));
  await expect(
    checkin.getByText('Availability must be between 0% and 100%; 102% is outside it.'),
  ).toBeVisible();

  // Far from the recent readings: the confirmation step, then saved.
  await record('5', utcDate(0));
  const confirm = checkin.getByTestId('unusual-confirm');
  await expect(confirm).toContainText('This is 1/19 of your usual value');
  await expect(confirm).toContainText('Save anyway?');
  await shoot(page, testInfo, 'checkin-unusual-confirm');
  await confirm.getByRole('button', { name: 'Save anyway' }).click();
  await expect(checkin.getByRole('status')).toContainText('Recorded 5');
  await expect(confirm).toHaveCount(0);
});
