import { expect, test, type Page, type TestInfo } from '@playwright/test';
import { pickByTyping, signUp, uniqueAccount } from './helpers';

/**
 * Better KPIs by design: an owner creates a KPI from the template library, fixes its SMART gaps
 * from the checklist's links, finds KPIs with gaps in the explorer, lowers the per-unit limit in
 * Settings and is warned (and may confirm) when the next KPI goes past it.
 */

async function shoot(page: Page, testInfo: TestInfo, name: string) {
  for (const width of [1440, 375]) {
    await page.setViewportSize({ width, height: width === 375 ? 812 : 900 });
    await page.screenshot({ path: testInfo.outputPath(`${name}-${width}.png`), fullPage: true });
  }
  await page.setViewportSize({ width: 1280, height: 900 });
}

test('create from a template, fix the SMART gaps, filter the explorer, hit the per-unit limit', async ({
  page,
}, testInfo) => {
  test.setTimeout(120_000);
  const owner = uniqueAccount('Quality');
  await page.setViewportSize({ width: 1280, height: 900 });
  const base = await signUp(page, owner);

  // 1. The template library pre-fills the definition.
  await page.goto(`${base}/kpis/new`);
  const form = page.getByRole('form', { name: 'New KPI' });
  const library = form.getByRole('region', { name: 'KPI templates' });
  await expect(library.getByRole('heading', { name: 'Customer service' })).toBeVisible();
  await form.getByLabel('Search templates').fill('churn');
  await expect(
    library.getByRole('button', { name: /Logo|Revenue churn rate/ }).first(),
  ).toBeVisible();
  await expect(library.getByRole('button', { name: /Blog articles/ })).toHaveCount(0);
  await shoot(page, testInfo, 'new-kpi-templates');
  await library.getByRole('button', { name: /Revenue churn rate/ }).click();
  await expect(form.getByLabel('Name', { exact: true })).toHaveValue('Revenue churn rate');
  await expect(form.getByLabel('Description')).toHaveValue(/MRR lost to cancellations/);
  await expect(form.getByLabel('Measure')).toHaveValue('percent');
  await expect(form.getByLabel('Direction')).toHaveValue('decrease');
  await expect(form.getByLabel('Values within a period')).toHaveValue('average');
  await form.getByRole('button', { name: 'Create KPI' }).click();
  await expect(page).toHaveURL(/\/kpis\/[0-9a-f-]{36}$/);
  const kpiUrl = page.url();

  // 2. The SMART checklist lists what is missing, each with a link to its fix.
  const checklist = page.getByTestId('smart-checklist');
  await expect(checklist).toContainText('4 of 6 to fix');
  const state = (criterion: string) =>
    checklist.locator(`[data-smart="${criterion}"]`).getAttribute('data-state');
  expect(await state('specific')).toBe('met');
  for (const c of ['measurable', 'relevant', 'time_bound', 'owned'])
    expect(await state(c)).toBe('missing');
  expect(await state('attainable')).toBe('unknown');
  await shoot(page, testInfo, 'kpi-smart-checklist');

  // The owner fix opens the edit form at the owner field; the rest is fixed in the same form.
  await checklist.getByRole('link', { name: 'Assign an owner (Owned)' }).click();
  const edit = page.getByRole('form', { name: 'Edit KPI' });
  const ownerPicker = edit.getByRole('combobox', { name: 'Owner' });
  await expect(ownerPicker).toBeFocused();
  await pickByTyping(ownerPicker, owner.name);
  await checklist.getByRole('link', { name: 'Set a target (Time-bound)' }).click();
  await expect(edit.getByLabel('Default target')).toBeFocused();
  await edit.getByLabel('Default target').fill('2');
  await checklist.getByRole('link', { name: 'Link a parent (Relevant)' }).click();
  await expect(edit.getByRole('combobox', { name: 'Rolls up into' })).toBeFocused();
  await edit.getByLabel('North star').check();
  // The current period's target is part of the same save.
  const currentTarget = edit.getByRole('textbox', { name: /\(current\)/ });
  await currentTarget.fill('2.5');
  await edit.getByRole('button', { name: 'Save changes' }).click();
  await expect(checklist).toContainText('1 of 6 to fix');
  await expect(edit.getByRole('status')).toHaveText('Saved.');

  await checklist.getByRole('link', { name: 'Record a value (Measurable)' }).click();
  const checkin = page.getByRole('form', { name: 'Record a value' });
  await checkin.getByLabel(/^Value/).fill('2.4');
  await checkin.getByRole('button', { name: 'Record value' }).click();
  // The form's own confirmation (a bare "2.4" also matches the chart's axis, before the save ends).
  await expect(checkin.getByRole('status')).toContainText('Recorded 2.4');
  await page.goto(kpiUrl);
  await expect(checklist).toContainText(
    'Specific, measurable, attainable, relevant, time-bound and owned.',
  );

  // What the one save stored, and a refused save: each error next to its field, nothing stored.
  await page.getByRole('heading', { name: 'Edit KPI' }).click();
  await expect(currentTarget).toHaveValue('2.5');
  await expect(ownerPicker).toHaveValue(owner.name);
  await edit.getByLabel('Name', { exact: true }).fill('');
  // Grouped the en-US way a thousand reads (2,500); a misplaced separator does not.
  await currentTarget.fill('2,50');
  await edit.getByRole('button', { name: 'Save changes' }).click();
  await expect(edit.getByTestId('form-alert')).toHaveText('Please fix the highlighted fields.');
  await expect(edit.getByText('Enter a name')).toBeVisible();
  await expect(edit.getByText(/Write the number as 1,234\.5/)).toBeVisible();
  await expect(currentTarget).toHaveAttribute('aria-invalid', 'true');
  await shoot(page, testInfo, 'kpi-edit-field-errors');
  await page.goto(kpiUrl);
  await expect(page.getByRole('heading', { level: 1 })).toContainText('Revenue churn rate');
  await page.getByRole('heading', { name: 'Edit KPI' }).click();
  await expect(currentTarget).toHaveValue('2.5');

  // 3. Lower the per-unit limit to 1 in Settings.
  await page
    .getByRole('navigation', { name: 'Main' })
    .getByRole('link', { name: 'Settings' })
    .click();
  await expect(page.getByRole('heading', { name: 'Settings', level: 1 })).toBeVisible();
  await page.getByLabel('Most KPIs per unit').fill('1');
  await page.getByRole('button', { name: 'Save limits' }).click();
  await expect(page.getByRole('status')).toHaveText('Saved.');

  // 4. The next KPI in the same unit is past the limit: warned, and created once confirmed.
  await page.goto(`${base}/kpis/new`);
  await form.getByLabel('Search templates').fill('promoter');
  await form
    .getByRole('region', { name: 'KPI templates' })
    .getByRole('button', { name: /Net Promoter Score/ })
    .click();
  const warning = form.getByTestId('kpi-limit-warning');
  await expect(warning).toContainText('already has 1 active KPI');
  await expect(warning).toContainText("your organization's limit is 1 per unit");
  const create = form.getByRole('button', { name: 'Create KPI' });
  await expect(create).toBeDisabled();
  await warning.scrollIntoViewIfNeeded();
  await page.screenshot({ path: testInfo.outputPath('limit-warning-1280.png') });
  await warning.getByLabel('Create it anyway').check();
  await create.click();
  await expect(page).toHaveURL(/\/kpis\/[0-9a-f-]{36}$/);
  await expect(page.getByRole('heading', { level: 1 })).toContainText('Net Promoter Score');

  // 5. The explorer filters to KPIs failing the check; the dashboard flags the full unit.
  await page.goto(`${base}/kpis`);
  const tree = page.getByRole('list', { name: 'KPI cascade' });
  await page.getByLabel('SMART check').selectOption('gaps');
  await expect(tree.getByRole('link', { name: /Net Promoter Score/ })).toBeVisible();
  await expect(tree.getByRole('link', { name: /Revenue churn rate/ })).toHaveCount(0);
  await shoot(page, testInfo, 'explorer-smart-filter');
  await page.getByLabel('SMART check').selectOption('complete');
  await expect(tree.getByRole('link', { name: /Revenue churn rate/ })).toBeVisible();
  await expect(tree.getByRole('link', { name: /Net Promoter Score/ })).toHaveCount(0);

  await page.goto(base);
  const focus = page.locator('#kpi-focus');
  await expect(focus).toContainText('Units over the limit');
  await expect(focus).toContainText('2 KPIs · limit 1');
  await focus.screenshot({ path: testInfo.outputPath('dashboard-kpi-focus-1280.png') });
});
