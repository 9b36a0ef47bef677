import { expect, test } from '@playwright/test';
import { createKpi, shootWidths, signUp, uniqueAccount } from './helpers';
import { createSourceDatabase } from './sql-source-db';

/**
 * Pulling a KPI's values from a SQL source (issue 23, item 3): an admin registers a read-only
 * PostgreSQL database (a wrong URL is refused with the reason, nothing saved), previews a query
 * on a KPI, saves it, pulls now and sees the values; the source's pull log lists the run. The
 * source is a second database on the test server (TEST_DATABASE_URL, set in CI).
 */

const ROWS = [
  ['2026-01-31', '100'],
  ['2026-02-28', '120.5'],
  ['2026-03-31', '130'],
] as const;

test('an admin registers a SQL source, previews a KPI query, saves it, pulls now and sees the values', async ({
  page,
}, testInfo) => {
  test.skip(
    !process.env.TEST_DATABASE_URL,
    'the source is a second database on a PostgreSQL server',
  );
  test.setTimeout(180_000);
  await page.setViewportSize({ width: 1280, height: 900 });
  const source = await createSourceDatabase(process.env.TEST_DATABASE_URL!, ROWS);
  try {
    const base = await signUp(page, uniqueAccount('Pull'));
    await page.goto(`${base}/settings`);
    await page.getByRole('link', { name: 'Manage SQL sources' }).click();
    await expect(page.getByRole('heading', { level: 1 })).toContainText('SQL sources');

    const form = page.getByRole('form', { name: 'Register a SQL source' });
    const wrong = new URL(source.readerUrl);
    wrong.pathname = '/kpi_source_missing';
    await form.getByLabel('Name', { exact: true }).fill('Warehouse');
    await form.getByLabel('Connection URL').fill(wrong.toString());
    await form.getByRole('button', { name: 'Test and save' }).click();
    await expect(form.getByTestId('form-alert')).toContainText('The connection test failed');
    await expect(page.getByTestId('sql-source')).toHaveCount(0);

    await form.getByLabel('Connection URL').fill(source.readerUrl);
    await form.getByRole('button', { name: 'Test and save' }).click();
    await expect(form.getByRole('status')).toContainText('Connected and saved "Warehouse".');
    const database = new URL(source.readerUrl).pathname.slice(1);
    await expect(page.getByTestId('sql-source')).toContainText(`${database} on 127.0.0.1`);
    await expect(page.locator('body')).not.toContainText(new URL(source.readerUrl).password);

    await createKpi(page, base, {
      name: 'Active customers',
      rollup: 'manual',
      target: '150',
      aggregation: 'last',
    });
    const panel = page.getByRole('form', { name: 'Pull from a SQL source' });
    await expect(panel.getByLabel('Source')).toContainText('Warehouse');
    await panel.getByLabel('Query').fill('select day, amount from kpi_values order by day');
    await panel.getByRole('button', { name: 'Preview' }).click();
    const preview = panel.getByTestId('sql-pull-preview');
    await expect(preview).toContainText('3 rows');
    await expect(preview).toContainText('2026-02-28');
    await expect(preview).toContainText('120.5');
    await panel.getByLabel('Pull', { exact: true }).selectOption('hourly');
    await panel.getByRole('button', { name: 'Save pull' }).click();
    await expect(panel.getByRole('status')).toContainText('Saved');
    await expect(panel.getByTestId('sql-pull-status')).toContainText('Not pulled yet');

    await panel.getByRole('button', { name: 'Pull now' }).click();
    await expect(panel.getByRole('status')).toContainText('Pulled: 3 rows read, 3 written.');
    await expect(panel.getByTestId('sql-pull-status')).toContainText('Last pulled at');
    // The check-in history dates the reading the organization's way (en-US).
    await expect(page.getByText('03/31/2026 ·').first()).toBeVisible();
    await expect(page.getByText(/· sql/).first()).toBeVisible();
    await shootWidths(page, testInfo, 'sql-pull-kpi', [1280, 390]);

    // A failing pull writes nothing and says why, here and in the pull log.
    await panel.getByLabel('Query').fill('select day from kpi_values');
    await panel.getByRole('button', { name: 'Save changes' }).click();
    await expect(panel.getByRole('status')).toContainText('Saved');
    await panel.getByRole('button', { name: 'Pull now' }).click();
    await expect(panel.getByTestId('form-alert')).toContainText(
      'The pull failed, nothing was written: The query must return two columns',
    );
    await expect(panel.getByTestId('sql-pull-status')).toContainText('Last pull failed at');
    await page.setViewportSize({ width: 390, height: 844 });
    await page
      .locator('#sql-pull')
      .screenshot({ path: testInfo.outputPath('sql-pull-panel-failed-390.png') });
    await page.setViewportSize({ width: 1280, height: 900 });

    await page.goto(`${base}/settings/sql-sources`);
    const runs = page.getByTestId('sql-pull-run');
    await expect(runs).toHaveCount(2);
    await expect(runs.first()).toContainText('Failed');
    await expect(runs.first()).toContainText('two columns');
    await expect(runs.nth(1)).toContainText('Active customers');
    await expect(runs.nth(1)).toContainText('pull now');
    await expect(runs.nth(1)).toContainText('OK');
    await shootWidths(page, testInfo, 'sql-sources', [1280, 390]);
  } finally {
    await source.drop();
  }
});
