import { expect, test, type Page, type TestInfo } from '@playwright/test';
import { createKpi, signUp, uniqueAccount } from './helpers';

/**
 * Target planning: a year planned evenly on a KPI (previewed, then saved as twelve monthly
 * targets), the parent's target split down over its children until they add up, and the targets
 * grid: keyboard moves, a block pasted from a spreadsheet, one save.
 */

async function shoot(page: Page, testInfo: TestInfo, name: string) {
  for (const width of [1280, 390]) {
    await page.setViewportSize({ width, height: width === 390 ? 844 : 900 });
    await page.screenshot({ path: testInfo.outputPath(`${name}-${width}.png`), fullPage: true });
  }
  await page.setViewportSize({ width: 1280, height: 900 });
}

async function paste(page: Page, label: string, text: string) {
  await page.getByLabel(label, { exact: true }).focus();
  await page.evaluate((t) => {
    const data = new DataTransfer();
    data.setData('text/plain', t);
    document.activeElement?.dispatchEvent(
      new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }),
    );
  }, text);
}

test('plan a year evenly, split it down, and set targets in the grid', async ({
  page,
}, testInfo) => {
  test.setTimeout(180_000);
  await page.setViewportSize({ width: 1280, height: 900 });
  const base = await signUp(page, uniqueAccount('Plan'));
  await createKpi(page, base, { name: 'Revenue', rollup: 'sum', target: '1000' });
  const revenueUrl = page.url();
  for (const name of ['Region North', 'Region South']) {
    await createKpi(page, base, { name, rollup: 'manual', target: '1', parent: 'Revenue' });
  }

  // 1. Plan the year evenly: preview, then save.
  await page.goto(revenueUrl);
  const section = page.getByRole('region', { name: /Target planning/ });
  await expect(section.getByTestId('reconciliation-row').first()).toContainText(
    'Children plan 2 of 1,000: 998 short',
  );
  await section.locator('summary', { hasText: 'Plan targets' }).click();
  const plan = section.getByTestId('plan-targets');
  await plan.getByLabel(/^Target for FY/).fill('120,005');
  const planned = plan.getByLabel(/^Planned target of /);
  await expect(planned).toHaveCount(12);
  await expect(planned.first()).toHaveValue('10001');
  await expect(planned.last()).toHaveValue('10000');
  await expect(plan.getByTestId('plan-total')).toHaveText('120,005');
  await shoot(page, testInfo, 'plan-targets-preview');
  await plan.getByRole('button', { name: 'Save 12 targets' }).click();
  await expect(plan.getByRole('status')).toContainText('Saved 12 targets for FY');
  await expect(section.getByTestId('reconciliation-row').first()).toContainText(
    'Children plan 2 of 10,001: 9,999 short',
  );

  // The explorer marks the parent whose children's targets do not add up.
  await page.goto(`${base}/kpis`);
  await expect(page.getByTestId('target-gap')).toHaveCount(1);
  await page.goto(revenueUrl);
  await section.locator('summary', { hasText: 'Split the target down' }).click();

  // 2. Split it down evenly over the two regions.
  const split = section.getByTestId('split-target');
  const firstNorth = split.getByLabel(/^Region North, /).first();
  await expect(firstNorth).toHaveValue('5001');
  await expect(split.getByLabel(/^Region South, /).first()).toHaveValue('5000');
  await shoot(page, testInfo, 'split-target');
  await split.getByRole('button', { name: 'Write the children’s targets' }).click();
  await expect(split.getByRole('status')).toContainText('Split down: 24 targets written.');
  await expect(section.getByTestId('reconciliation-row').first()).toContainText(
    'Children plan 10,001: adds up',
  );
  await page.goto(`${base}/kpis`);
  await expect(page.getByRole('link', { name: 'Revenue' }).first()).toBeVisible();
  await expect(page.getByTestId('target-gap')).toHaveCount(0);

  // 3. The grid: paste a block, move by keyboard, one save.
  await page.goto(`${base}/targets`);
  await expect(page.getByRole('heading', { level: 1 })).toContainText('Targets · FY');
  const firstMonth = (await page.locator('thead th').nth(1).textContent()) ?? '';
  const secondMonth = (await page.locator('thead th').nth(2).textContent()) ?? '';
  await paste(page, `Region North, ${firstMonth}`, '1,000\t2,000\n3 000\t4000\n');
  await expect(page.getByLabel(`Region South, ${secondMonth}`, { exact: true })).toHaveValue(
    '4000',
  );
  await page.getByLabel(`Region North, ${firstMonth}`, { exact: true }).focus();
  await page.keyboard.press('ArrowDown');
  await expect(page.getByLabel(`Region South, ${firstMonth}`, { exact: true })).toBeFocused();
  await page.keyboard.press('Enter');
  await page.keyboard.press('ArrowUp');
  await page.keyboard.press('ArrowUp');
  await expect(page.getByLabel(`Revenue, ${firstMonth}`, { exact: true })).toBeFocused();
  await page.keyboard.type('abc');
  // Refused naming the form the organization's locale (en-US) writes numbers in.
  await expect(page.getByTestId('cell-error')).toContainText('Write the number as 1,234.5');
  await page.getByRole('button', { name: 'Save 5 changes' }).click();
  await expect(page.getByTestId('form-alert')).toHaveText(
    'Nothing was saved: fix the marked cells.',
  );
  await shoot(page, testInfo, 'targets-grid-error');
  await page.getByLabel(`Revenue, ${firstMonth}`, { exact: true }).fill('10,000');
  await page.getByRole('button', { name: 'Save 5 changes' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Saved' })).toHaveText(
    'Saved 5 targets.',
  );
  await page.reload();
  await expect(page.getByLabel(`Region North, ${secondMonth}`, { exact: true })).toHaveValue(
    '2000',
  );
  await expect(page.getByLabel(`Revenue, ${firstMonth}`, { exact: true })).toHaveValue('10000');
  await shoot(page, testInfo, 'targets-grid');
});
