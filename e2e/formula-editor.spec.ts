import { expect, test, type Page, type TestInfo } from '@playwright/test';

/**
 * The formula editor: the demo admin opens a formula template, then creates a formula KPI through
 * the form, picking its inputs by key completion, sees a typo answered with its position and the live preview of the last
 * three months, saves, and finds the computed value with its explanation: the formula with each
 * input's value put in, each linking to that input's page.
 */

const ORG = '/o/northwind-cloud';

async function shoot(page: Page, testInfo: TestInfo, name: string) {
  for (const width of [1440, 390]) {
    await page.setViewportSize({ width, height: 900 });
    await page.screenshot({ path: testInfo.outputPath(`${name}-${width}.png`), fullPage: true });
  }
  await page.setViewportSize({ width: 1280, height: 900 });
}

test('the demo admin builds a formula KPI with completion, preview and explanation', async ({
  page,
}, testInfo) => {
  test.setTimeout(300_000);
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.goto('/sign-in');
  await page.getByRole('button', { name: /^Admin: / }).click();
  await page.waitForURL((url) => url.pathname.startsWith('/o/'));

  await page.goto(`${ORG}/kpis/new`);
  const form = page.getByRole('form', { name: 'New KPI' });
  // A formula template opens the form as a formula KPI, its example keys ready to replace.
  await form.getByLabel('Search templates').fill('MQL-to-SQL');
  await form
    .getByRole('region', { name: 'KPI templates' })
    .getByRole('button', { name: /MQL-to-SQL conversion rate/ })
    .click();
  await expect(form.getByLabel('Rollup')).toHaveValue('formula');
  const formula = form.getByRole('combobox', { name: 'Formula' });
  await expect(formula).toHaveValue('marketing.sqls / marketing.mqls * 100');
  await expect(form.getByTestId('formula-preview').getByRole('row')).toHaveCount(3);
  await formula.fill('');

  await form.getByLabel('Name', { exact: true }).fill('Expansion per new ARR');
  await form.getByLabel('Key (optional)').fill('company.expansion_ratio');
  await form.getByLabel('Measure').selectOption('ratio');
  await form.getByLabel('Decimals').fill('2');
  await form.getByLabel('Rollup').selectOption('formula');

  // Key completion: a key prefix lists matching keys with their names; Enter inserts the one
  // chosen with the arrow keys at the caret.
  await formula.click();
  await formula.pressSequentially('cs.exp');
  const options = form.getByRole('listbox', { name: 'Matching KPIs and functions' });
  await expect(options.getByRole('option').first()).toContainText('cs.expansion_arr');
  await expect(formula).toHaveAttribute('aria-expanded', 'true');
  await shoot(page, testInfo, 'formula-completion');
  await formula.press('Enter');
  await expect(formula).toHaveValue('cs.expansion_arr');
  // A name works too ("booked" is in New ARR booked's name), picked with the arrow keys.
  await formula.pressSequentially(' / booked');
  const wanted = options.getByRole('option', { name: /^sales\.new_arr / });
  await expect(wanted).toBeVisible();
  for (let i = 0; i < 8 && (await wanted.getAttribute('aria-selected')) !== 'true'; i += 1) {
    await formula.press('ArrowDown');
  }
  await expect(wanted).toHaveAttribute('aria-selected', 'true');
  await formula.press('Enter');
  await expect(formula).toHaveValue('cs.expansion_arr / sales.new_arr');

  // The live preview: the last three months from current data.
  const preview = form.getByTestId('formula-preview');
  await expect(preview.getByRole('row')).toHaveCount(3);
  await expect(preview).toContainText(/\d\.\d\d×/);

  // A typo: the server's check answers under the field with the position.
  await formula.fill('cs.expansion_arr / sales.new_ar');
  await formula.press('Escape');
  const problem = form.getByTestId('formula-error');
  await expect(problem).toContainText(
    "Unknown KPI 'sales.new_ar'; did you mean 'sales.new_arr'? (at character 20)",
  );
  await expect(formula).toHaveAttribute('aria-invalid', 'true');
  // Saving it is refused, nothing written: the form stays.
  await form.getByRole('button', { name: 'Create KPI' }).click();
  await expect(page.getByTestId('form-alert')).toHaveText(
    "The formula cannot be saved: Unknown KPI 'sales.new_ar'; did you mean 'sales.new_arr'? (at character 20)",
  );
  await expect(page).toHaveURL(/\/kpis\/new$/);

  await formula.fill('cs.expansion_arr / sales.new_arr');
  await expect(problem).toHaveCount(0);
  await expect(preview.getByRole('row')).toHaveCount(3);
  await shoot(page, testInfo, 'formula-form');
  const lastPreview = (await preview.getByRole('row').last().textContent()) ?? '';

  await form.getByRole('button', { name: 'Create KPI' }).click();
  await expect(page).toHaveURL(/\/kpis\/[0-9a-f-]{36}$/);
  await expect(page.getByRole('heading', { level: 1 })).toContainText('Expansion per new ARR');

  // The explanation: the formula with this period's values, each linking to its input.
  await expect(page.getByTestId('kpi-formula')).toHaveText('cs.expansion_arr / sales.new_arr');
  const explanation = page.getByTestId('formula-explanation');
  const result = explanation.getByTestId('formula-result');
  await expect(result).toHaveText(/^\d+\.\d\d×$/);
  // The page's value is the preview's for the same period.
  expect(lastPreview).toContain((await result.textContent()) ?? 'none');
  const expansion = explanation.locator('a[data-key="cs.expansion_arr"]');
  await expect(expansion).toHaveText(/^\$[\d,]+$/);
  await expect(expansion).toHaveAttribute('title', /Expansion ARR|expansion/i);
  await shoot(page, testInfo, 'formula-kpi-page');
  await explanation.locator('a[data-key="sales.new_arr"]').click();
  await expect(page).toHaveURL(/\/kpis\/[0-9a-f-]{36}$/);
  await expect(page.getByRole('heading', { level: 1 })).toContainText(/New ARR/i);
});

test('the north star explains itself: prev() with its earlier period', async ({
  page,
}, testInfo) => {
  await page.goto('/sign-in');
  await page.getByRole('button', { name: /^Admin: / }).click();
  await page.waitForURL((url) => url.pathname.startsWith('/o/'));
  await page.goto(`${ORG}/kpis`);
  await page
    .getByRole('link', { name: /Annual recurring revenue \(ARR\)$/ })
    .first()
    .click();
  const explanation = page.getByTestId('formula-explanation');
  const prev = explanation.locator('a[data-key="company.arr"]');
  await expect(prev).toHaveAttribute('title', /prev\(company\.arr\) · .* · \w{3} \d{4}/);
  await shoot(page, testInfo, 'north-star-explanation');
});
