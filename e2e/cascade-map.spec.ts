import { expect, test, type Page } from '@playwright/test';
import { expectNoSeriousViolations } from './helpers';

/**
 * The cascade map (the explorer's `?view=map`): open it, search a KPI by name and see it focused
 * (its closed team opened on the way), collapse and expand a branch, click through to the KPI;
 * axe and screenshots at 1280 and 390 px; the explorer's first-load JavaScript stays in budget
 * with React Flow loaded only for the map. Runs on the demo organization (DEMO_MODE=1).
 */

const ORG = '/o/northwind-cloud';

async function signInAsOwner(page: Page) {
  await page.goto('/sign-in');
  await page.getByRole('button', { name: /^Owner:/ }).click();
  await page.waitForURL((url) => url.pathname.startsWith('/o/'));
}

const kpiNode = (page: Page, name: string) => page.getByTestId('map-kpi').filter({ hasText: name });

test.use({ viewport: { width: 1280, height: 900 } });

test('the map: search focuses a KPI, a branch collapses and expands, a click opens the KPI', async ({
  page,
}, testInfo) => {
  test.setTimeout(120_000);
  await signInAsOwner(page);
  await page.goto(`${ORG}/kpis`);
  await page
    .getByRole('navigation', { name: 'Explorer view' })
    .getByRole('link', { name: 'Map' })
    .click();
  await expect(page).toHaveURL(/\/kpis\?view=map$/);
  const map = page.getByTestId('cascade-map');
  await expect(map).toBeVisible();

  // First view: the company and the departments open, the teams closed.
  await expect(kpiNode(page, 'Annual recurring revenue (ARR)')).toBeVisible();
  const team = page.getByRole('button', { name: 'Expand Enterprise Sales' });
  await expect(team).toHaveAttribute('aria-expanded', 'false');
  await expect(kpiNode(page, 'New ARR booked: Enterprise')).toHaveCount(0);
  // Status as icon and text, never colour alone.
  await expect(kpiNode(page, 'Annual recurring revenue (ARR)')).toContainText(
    /On track|At risk|Off track|In progress|No data/,
  );

  await expect(page.getByRole('list', { name: 'Legend' })).toContainText('Formula driver');
  await expectNoSeriousViolations(page, 'map (desktop)');
  await page.screenshot({ path: testInfo.outputPath('cascade-map-1280.png') });

  // Search by name: the closed team opens and the KPI is centred and highlighted.
  await page.getByLabel('Find a KPI by name or key').fill('New ARR booked: Ent');
  await page
    .getByRole('list', { name: 'Matching KPIs' })
    .getByRole('button', { name: /New ARR booked: Enterprise/ })
    .click();
  const focused = kpiNode(page, 'New ARR booked: Enterprise');
  await expect(focused).toHaveAttribute('data-focused', 'true');
  await expect(focused).toBeInViewport();
  await expect(page.getByRole('button', { name: 'Collapse Enterprise Sales' })).toHaveAttribute(
    'aria-expanded',
    'true',
  );
  await expect(focused.getByRole('link')).toBeFocused();
  await page.screenshot({ path: testInfo.outputPath('cascade-map-focused-1280.png') });

  // Search by key too.
  await page.getByLabel('Find a KPI by name or key').fill('sales.ent.new');
  await expect(
    page.getByRole('list', { name: 'Matching KPIs' }).getByRole('button').first(),
  ).toContainText('sales.ent.new_arr');
  await page.getByLabel('Find a KPI by name or key').fill('');

  // Collapse the branch: its KPIs leave the map; expand it again: they come back. By keyboard:
  // the unit may lie outside the visible part of the canvas, where a pointer cannot reach it.
  await page.getByRole('button', { name: 'Collapse Enterprise Sales' }).focus();
  await page.keyboard.press('Enter');
  await expect(kpiNode(page, 'New ARR booked: Enterprise')).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Expand Enterprise Sales' })).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(kpiNode(page, 'New ARR booked: Enterprise')).toHaveCount(1);

  // Keyboard: the expand buttons and KPI links are reachable and named.
  await page.getByRole('button', { name: 'Collapse Sales', exact: true }).focus();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('button', { name: 'Expand Sales', exact: true })).toBeFocused();

  // Click through to the KPI page (found again by the search, which centres it).
  await page.keyboard.press('Enter');
  await expect(page.getByRole('button', { name: 'Collapse Sales', exact: true })).toBeVisible();
  await page.getByLabel('Find a KPI by name or key').fill('New ARR booked: Ent');
  await page
    .getByRole('list', { name: 'Matching KPIs' })
    .getByRole('button', { name: /New ARR booked: Enterprise/ })
    .click();
  await expect(kpiNode(page, 'New ARR booked: Enterprise').getByRole('link')).toBeFocused();
  // Its link has the keyboard focus: Enter follows it (focusing units outside the visible canvas
  // above scrolled React Flow's container, where a pointer would miss).
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(/\/kpis\/[0-9a-f-]{36}$/);
  await expect(page.getByRole('heading', { level: 1 })).toContainText('New ARR booked: Enterprise');

  // Back to the map: the view choice is in the URL.
  await page.goBack();
  await expect(page).toHaveURL(/view=map/);
  await expect(page.getByTestId('cascade-map')).toBeVisible();
});

test('the map on a phone: fitted, controls reachable, nothing wider than the screen', async ({
  page,
}, testInfo) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await signInAsOwner(page);
  await page.goto(`${ORG}/kpis?view=map`);
  await expect(kpiNode(page, 'Annual recurring revenue (ARR)')).toBeAttached();
  for (const name of [/zoom in/i, /zoom out/i, /fit view/i])
    await expect(page.getByRole('button', { name })).toBeInViewport();
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  expect(width).toBeLessThanOrEqual(390);
  await page.getByRole('button', { name: /zoom in/i }).click();
  await expectNoSeriousViolations(page, 'map (phone)');
  await page.screenshot({ path: testInfo.outputPath('cascade-map-390.png') });

  // The list view on a phone keeps its search by name or key.
  await page.goto(`${ORG}/kpis`);
  await page.getByTestId('kpi-tree-search').fill('win rate');
  const names = page.getByRole('list', { name: 'KPI cascade' }).getByTestId('kpi-tree-name');
  await expect(names.filter({ hasText: 'Win rate: Enterprise' })).toBeVisible();
  await expect(names.filter({ hasText: 'Annual recurring revenue' })).toBeVisible(); // on the path
  await expect(names.filter({ hasText: 'Pipeline value' })).toHaveCount(0);
  await page.getByTestId('kpi-tree-search').fill('sales.cycle');
  await expect(names.filter({ hasText: 'Sales cycle length' })).toBeVisible();
  await expect(names.filter({ hasText: 'Win rate' })).toHaveCount(0);
  await page.screenshot({ path: testInfo.outputPath('explorer-search-390.png') });
});

test('the explorer loads under 300 KB of JavaScript; React Flow only with the map', async ({
  page,
}) => {
  await signInAsOwner(page);
  const storageState = await page.context().storageState();
  // Each page in a fresh context with an empty cache: every script it needs, as sent.
  const measure = async (path: string, ready: (p: Page) => Promise<void>) => {
    const fresh = await page.context().browser()!.newContext({ storageState });
    const tab = await fresh.newPage();
    const sizes: Promise<number>[] = [];
    tab.on('response', (response) => {
      if (response.request().resourceType() !== 'script') return;
      sizes.push(
        response
          .request()
          .sizes()
          .then((s) => s.responseBodySize),
      );
    });
    await tab.goto(path, { waitUntil: 'networkidle' });
    await ready(tab);
    await tab.waitForLoadState('networkidle');
    const total = (await Promise.all(sizes)).reduce((a, b) => a + b, 0);
    await fresh.close();
    return total;
  };
  const list = await measure(`${ORG}/kpis`, async (p) => {
    await expect(p.getByTestId('kpi-tree-name').first()).toBeVisible();
  });
  const mapView = await measure(`${ORG}/kpis?view=map`, async (p) => {
    await expect(p.getByTestId('map-kpi').first()).toBeVisible();
  });
  console.log(
    `explorer first-load JavaScript: list ${(list / 1024).toFixed(1)} KB, map ${(mapView / 1024).toFixed(1)} KB (compressed)`,
  );
  expect(list).toBeLessThan(300 * 1024);
  expect(mapView).toBeLessThan(400 * 1024);
  // The map's code is not part of the list's first load.
  expect(mapView).toBeGreaterThan(list);
});
