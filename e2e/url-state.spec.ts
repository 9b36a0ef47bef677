import { expect, test } from '@playwright/test';
import { shootWidths, signInAsPersona } from './helpers';

// Every view choice lives in the URL: the explorer's filters, search and folds, the dashboard's
// period and the report's scope and period survive reload, Back and Forward, and a link opened in
// a fresh page shows the same view.

const ORG = '/o/northwind-cloud';

test('the explorer’s filters, search and folds survive reload, Back and a shared link', async ({
  page,
  browser,
}, testInfo) => {
  await signInAsPersona(page, 'Owner: Morgan Blake');
  await page.goto(`${ORG}/kpis`);
  const names = page.getByTestId('kpi-tree-name');
  const all = await names.count();
  expect(all).toBeGreaterThan(5);

  // Discrete choices: each one a history entry.
  await page.getByLabel('Category').selectOption('operational');
  await expect(page).toHaveURL(`${ORG}/kpis?category=operational`);
  await page.getByLabel('Status').selectOption('attention');
  await expect(page).toHaveURL(`${ORG}/kpis?status=attention&category=operational`);
  const count = page.getByTestId('explorer-match-count');
  const both = await count.textContent();
  // Back undoes the last choice only; Forward brings it back; clearing is a choice too.
  await page.goBack();
  await expect(page).toHaveURL(`${ORG}/kpis?category=operational`);
  await expect(page.getByLabel('Status')).toHaveValue('');
  await expect(page.getByLabel('Category')).toHaveValue('operational');
  await page.goForward();
  await expect(page.getByLabel('Status')).toHaveValue('attention');
  await expect(count).toHaveText(both!);
  await page.getByLabel('Status').selectOption('');
  await expect(page).toHaveURL(`${ORG}/kpis?category=operational`);
  await page.goBack();
  await expect(page.getByLabel('Status')).toHaveValue('attention');
  await page.goForward();
  await expect(page.getByLabel('Status')).toHaveValue('');

  // Typing a search replaces the URL once the typing pauses (no history entry per key).
  const search = page.getByLabel('Search', { exact: true });
  await search.pressSequentially('pipeline', { delay: 30 });
  await expect(page).toHaveURL(`${ORG}/kpis?category=operational&q=pipeline`);
  await expect(names.filter({ hasText: 'Pipeline value' }).first()).toBeVisible();
  const matched = await count.textContent();
  expect(Number(matched)).toBeGreaterThan(0);

  // Fold a branch: kept in the URL too (replacing the current entry).
  const visibleBefore = await names.count();
  await page.getByRole('button', { name: 'Collapse Pipeline value', exact: true }).click();
  await expect(page).toHaveURL(/&collapsed=[0-9a-f-]{36}$/);
  await expect(names).not.toHaveCount(visibleBefore);
  const url = page.url();
  const visible = await names.count();
  await shootWidths(page, testInfo, 'url-state-explorer', [1280, 390]);

  // Reload: the same view.
  await page.reload();
  await expect(page).toHaveURL(url);
  await expect(page.getByLabel('Category')).toHaveValue('operational');
  await expect(search).toHaveValue('pipeline');
  await expect(count).toHaveText(matched!);
  await expect(names).toHaveCount(visible);
  await expect(
    page.getByRole('button', { name: 'Expand Pipeline value', exact: true }),
  ).toHaveAttribute('aria-expanded', 'false');

  // Open a KPI and come back: the filters are still there.
  await names.filter({ hasText: /^\s*Pipeline value\s*$/ }).click();
  await expect(page).toHaveURL(/\/kpis\/[0-9a-f-]{36}$/);
  await page.goBack();
  await expect(page).toHaveURL(url);
  await expect(page.getByLabel('Category')).toHaveValue('operational');
  await expect(search).toHaveValue('pipeline');
  await expect(count).toHaveText(matched!);
  await expect(names).toHaveCount(visible);

  // The link shared with someone else: a fresh page shows the same view.
  const fresh = await browser.newContext({ storageState: await page.context().storageState() });
  const other = await fresh.newPage();
  await other.goto(url);
  await expect(other.getByLabel('Category')).toHaveValue('operational');
  await expect(other.getByLabel('Search', { exact: true })).toHaveValue('pipeline');
  await expect(other.getByTestId('explorer-match-count')).toHaveText(matched!);
  await expect(other.getByTestId('kpi-tree-name')).toHaveCount(visible);
  // A link with garbage in it shows the explorer unfiltered rather than failing.
  await other.goto(`${ORG}/kpis?status=great&unit=x%27%3Bdrop&collapsed=..%2F&view=globe`);
  await expect(other.getByLabel('Status')).toHaveValue('');
  await expect(other.getByTestId('kpi-tree-name')).toHaveCount(all);
  await fresh.close();
});

test('two choices made before the explorer re-renders both stay in the URL', async ({ page }) => {
  await signInAsPersona(page, 'Owner: Morgan Blake');
  await page.goto(`${ORG}/kpis`);
  await expect(page.getByTestId('kpi-tree-name').first()).toBeVisible();
  // Both changes in one task: React cannot re-render from the first URL before the second runs,
  // which is what a fast user meets on a busy phone.
  const category = await page.getByLabel('Category').elementHandle();
  const status = await page.getByLabel('Status').elementHandle();
  await page.evaluate(
    ([choices]) => {
      for (const [select, value] of choices) {
        (select as HTMLSelectElement).value = value;
        select.dispatchEvent(new Event('change', { bubbles: true }));
      }
    },
    [
      [
        [category!, 'operational'],
        [status!, 'attention'],
      ],
    ] as const,
  );
  await expect(page).toHaveURL(`${ORG}/kpis?status=attention&category=operational`);
  await expect(page.getByLabel('Category')).toHaveValue('operational');
  await expect(page.getByLabel('Status')).toHaveValue('attention');
});

test('a choice made before the router has taken the history API over still shows and goes Back', async ({
  page,
}) => {
  // Next's router patches history.pushState in an effect after hydration, and a page can answer
  // a choice before that runs (seen on a busy machine: the choice's entry had no router state, so
  // Back to it left the view as it was). Here the router's patch takes effect only when the test
  // says so: until then the page sees the browser's own pushState.
  await page.addInitScript(`(() => {
    const native = History.prototype.pushState;
    let patched;
    Object.defineProperty(window.history, 'pushState', {
      configurable: true,
      get() { return (window.routerMayPatch && patched) || native; },
      set(fn) { patched = fn; },
    });
  })()`);
  await signInAsPersona(page, 'Owner: Morgan Blake');
  await page.goto(`${ORG}/kpis`);
  await expect(page.getByTestId('kpi-tree-name').first()).toBeVisible();
  await page.getByLabel('Category').selectOption('operational');
  await expect(page).toHaveURL(`${ORG}/kpis?category=operational`);
  await expect(page.getByLabel('Category')).toHaveValue('operational');
  const operational = await page.getByTestId('explorer-match-count').textContent();

  await page.evaluate('window.routerMayPatch = true');
  await page.getByLabel('Status').selectOption('attention');
  await expect(page).toHaveURL(`${ORG}/kpis?status=attention&category=operational`);
  await page.goBack();
  await expect(page).toHaveURL(`${ORG}/kpis?category=operational`);
  await expect(page.getByLabel('Status')).toHaveValue('');
  await expect(page.getByLabel('Category')).toHaveValue('operational');
  await expect(page.getByTestId('explorer-match-count')).toHaveText(operational!);
});

test('the dashboard’s period survives reload and Back', async ({ page }, testInfo) => {
  await signInAsPersona(page, 'Owner: Morgan Blake');
  await page.goto(ORG);
  const picker = page.getByLabel('Period', { exact: true });
  const start = await picker.inputValue();
  const quarter = await picker
    .locator('optgroup[label="Quarters"] option')
    .nth(1)
    .getAttribute('value');
  expect(quarter).toMatch(/^quarter-\d{4}-\d{2}-01$/);
  await picker.selectOption(quarter!);
  await expect(page).toHaveURL(`${ORG}?period=${quarter}`);
  await expect(page.getByText(/^Where we stood · Q\d/)).toBeVisible();

  await page.reload();
  await expect(picker).toHaveValue(quarter!);
  await expect(page.getByText(/^Where we stood · Q\d/)).toBeVisible();
  await shootWidths(page, testInfo, 'url-state-dashboard', [1280, 390]);

  // Away to the reports and back: the quarter is still shown.
  await page
    .getByRole('navigation', { name: 'Main' })
    .getByRole('link', { name: 'Reports' })
    .click();
  await expect(page).toHaveURL(`${ORG}/reports`);
  await page.goBack();
  await expect(page).toHaveURL(`${ORG}?period=${quarter}`);
  await expect(picker).toHaveValue(quarter!);
  // One more Back: the period before the choice.
  await page.goBack();
  await expect(page).toHaveURL(ORG);
  await expect(picker).toHaveValue(start);
});

test('the report’s scope and period survive reload and Back; an unknown scope shows the company', async ({
  page,
}, testInfo) => {
  await signInAsPersona(page, 'Owner: Morgan Blake');
  await page.goto(`${ORG}/reports`);
  const options = page.getByRole('form', { name: 'Report options' });
  const scope = options.getByLabel('Scope');
  const unit = scope.locator('option:not([value="company"])').first();
  const unitId = (await unit.getAttribute('value'))!;
  const unitName = (await unit.textContent())!.trim();
  const period = options.getByLabel('Period');
  const quarter = (await period
    .locator('optgroup[label="Quarters"] option')
    .nth(1)
    .getAttribute('value'))!;
  await scope.selectOption(unitId);
  await period.selectOption(quarter);
  await options.getByRole('button', { name: 'Show report' }).click();
  const url = `${ORG}/reports?scope=${unitId}&period=${quarter}`;
  await expect(page).toHaveURL(url);
  const title = page.getByRole('heading', {
    level: 1,
    name: new RegExp(`^${unitName} report · Q\\d`),
  });
  await expect(title).toBeVisible();
  await expect(page.getByRole('link', { name: 'Download CSV' })).toHaveAttribute(
    'href',
    `/api/o/northwind-cloud/reports/csv?scope=${unitId}&period=${quarter}`,
  );

  await page.reload();
  await expect(title).toBeVisible();
  await expect(scope).toHaveValue(unitId);
  await expect(period).toHaveValue(quarter);
  await shootWidths(page, testInfo, 'url-state-report', [1280, 390]);

  // To a KPI of the report and back.
  await page.locator('article.report a[href*="/kpis/"]').first().click();
  await expect(page).toHaveURL(/\/kpis\/[0-9a-f-]{36}$/);
  await page.goBack();
  await expect(page).toHaveURL(url);
  await expect(title).toBeVisible();
  await expect(scope).toHaveValue(unitId);

  // A unit id that is not this organization's: the company report, said so, never an error.
  await page.goto(`${ORG}/reports?scope=00000000-0000-4000-8000-000000000000&period=${quarter}`);
  await expect(page.getByTestId('scope-notice')).toBeVisible();
  await expect(
    page.getByRole('heading', { level: 1, name: /^Northwind Cloud report · Q\d/ }),
  ).toBeVisible();
  await expect(scope).toHaveValue('company');
});
