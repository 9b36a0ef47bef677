import fs from 'node:fs';
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page, type TestInfo } from '@playwright/test';

/**
 * History you can read: the demo owner changes a KPI's target, reads the change (before → after)
 * on the KPI page, follows "See all" to the organization's history, filters it by person and
 * kind, and downloads the same history as CSV. Screenshots at desktop and phone widths.
 */

const ORG = '/o/northwind-cloud';

async function shoot(page: Page, testInfo: TestInfo, name: string) {
  for (const width of [1280, 390]) {
    await page.setViewportSize({ width, height: 900 });
    await page.screenshot({ path: testInfo.outputPath(`${name}-${width}.png`), fullPage: true });
    if (width === 390) {
      // A phone shows cards: nothing wider than the screen.
      const overflow = await page.evaluate(
        () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
      );
      expect(overflow, `${name}: no sideways scrolling at 390 px`).toBeLessThanOrEqual(0);
    }
  }
  await page.setViewportSize({ width: 1280, height: 900 });
}

test('the owner reads who changed what, filters it and downloads it as CSV', async ({
  page,
}, testInfo) => {
  // Full-page screenshots of the long KPI page at two widths take a while on a busy machine.
  test.setTimeout(180_000);
  await page.goto('/sign-in');
  await page.getByRole('button', { name: 'Owner: Morgan Blake' }).click();
  await page.waitForURL((url) => url.pathname.startsWith('/o/'));

  // 1. Change the current month's target of a team KPI in its edit form.
  await page.goto(`${ORG}/kpis`);
  await page.getByRole('link', { name: 'New ARR booked: Enterprise', exact: true }).first().click();
  await expect(page).toHaveURL(/\/kpis\/[0-9a-f-]{36}$/);
  await page.getByRole('heading', { name: 'Edit KPI' }).click();
  const edit = page.getByRole('form', { name: 'Edit KPI' });
  const currentTarget = edit.getByRole('textbox', { name: /\(current\)/ });
  const newTarget = String(130_000 + Math.floor(Math.random() * 9_000));
  await currentTarget.fill(newTarget);
  await edit.getByRole('button', { name: 'Save changes' }).click();
  await expect(edit.getByRole('status')).toHaveText('Saved.');

  // 2. The KPI page's history reads it: who, what, the target before → after in dollars (en-US).
  await page.reload();
  const shown = Number(newTarget).toLocaleString('en-US');
  const history = page.getByRole('region', { name: 'History' });
  await expect(history).toContainText('Morgan Blake');
  await expect(history).toContainText(/(set a target|changed the target)/);
  await expect(history).toContainText(new RegExp(`Target \\(\\w{3} \\d{4}\\): .+ → \\$${shown}`));
  await shoot(page, testInfo, 'history-kpi-page');

  // 3. "See all" opens the organization's history filtered to this KPI.
  await history.getByRole('link', { name: 'See all' }).click();
  await expect(page).toHaveURL(/\/history\?kpi=[0-9a-f-]{36}$/);
  await expect(page.getByRole('heading', { name: 'History', level: 1 })).toBeVisible();
  await expect(page.getByText('Only the KPI')).toContainText('New ARR booked: Enterprise');

  // 4. The whole organization's history, filtered by person and kind in the URL.
  await page
    .getByRole('navigation', { name: 'Main' })
    .getByRole('link', { name: 'History' })
    .click();
  await expect(page).toHaveURL(new RegExp(`${ORG}/history$`));
  const filters = page.getByRole('form', { name: 'Filter the history' });
  // A person's name in the history links to their changes alone.
  const personLink = page
    .getByRole('table')
    .getByRole('link', { name: /^Only .+'s changes$/ })
    .first();
  const personName = (await personLink.textContent())!;
  await personLink.click();
  await expect(page).toHaveURL(/\/history\?person=[0-9a-f-]{36}$/);
  await expect(filters.getByRole('combobox', { name: 'Person' })).toHaveValue(personName);
  // The person filter searches the members as one types.
  const person = filters.getByRole('combobox', { name: 'Person' });
  await person.fill('morgan');
  await filters.getByRole('option', { name: /^Morgan Blake/ }).click();
  await expect(person).toHaveValue('Morgan Blake');
  await filters.getByLabel('Kind').selectOption('targets');
  // (a mark on the window: it survives a navigation in place, not a new document)
  await page.evaluate(() => Object.assign(window, { stayed: true }));
  await filters.getByRole('button', { name: 'Apply' }).click();
  // The chosen filters alone (the empty dates are not sent), opened in place.
  await expect(page).toHaveURL(/\/history\?person=[0-9a-f-]{36}&kind=targets$/);
  expect(await page.evaluate(() => 'stayed' in window)).toBe(true);
  const table = page.getByRole('table');
  await expect(table).toContainText('New ARR booked: Enterprise');
  await expect(table).toContainText(`$${shown}`);
  await expect(table).toContainText('→');
  await expect(table).not.toContainText('recorded a check-in');
  await expect(person).toHaveValue('Morgan Blake');
  const axe = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
    .analyze();
  expect(
    axe.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => v.id),
    'no serious accessibility problems on the history page',
  ).toEqual([]);
  await shoot(page, testInfo, 'history-org-page');
  // The phone layout is cards with the same content.
  await page.setViewportSize({ width: 390, height: 900 });
  const cards = page.getByRole('list', { name: 'Changes, newest first' });
  await expect(cards).toContainText(`$${shown}`);
  await page.setViewportSize({ width: 1280, height: 900 });

  // 5. The CSV of the same filter.
  const downloading = page.waitForEvent('download');
  await page.getByRole('link', { name: 'Download CSV' }).click();
  const download = await downloading;
  expect(download.suggestedFilename()).toBe('northwind-cloud-history.csv');
  const csv = fs.readFileSync((await download.path())!, 'utf8').replace(/^\uFEFF/, '');
  const lines = csv.trim().split('\r\n');
  expect(lines[0]).toBe('time,person,kind,action,entity,field,before,after');
  const row = lines.find((l) => l.includes(`"$${shown}"`));
  expect(row).toMatch(
    /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}[+-]\d{2}:\d{2},Morgan Blake,Targets,target\.set,New ARR booked: Enterprise,Target \(\w{3} \d{4}\),/,
  );
  expect(lines.slice(1).every((l) => l.includes(',Morgan Blake,Targets,'))).toBe(true);
  fs.writeFileSync(testInfo.outputPath('history.csv'), csv);

  // Clear: the whole history again, and the form shows no filter.
  await filters.getByRole('link', { name: 'Clear' }).click();
  await expect(page).toHaveURL(new RegExp(`${ORG}/history$`));
  await expect(filters.getByLabel('Kind')).toHaveValue('');
  await expect(filters.getByRole('combobox', { name: 'Person' })).toHaveValue('');
});
