import { expect, test, type Page } from '@playwright/test';

/**
 * Driver links (issue 18 item 5): the KPI explorer and the dashboard show a formula KPI's drivers
 * and the formulas an input feeds, as links apart from the parent tree, for the owner and for a
 * member; following one lands on that KPI's page. Screenshots at desktop and phone width.
 */

const ORG = '/o/northwind-cloud';
const WIDTHS = [1440, 390] as const;
const ARR = 'Annual recurring revenue (ARR)';
const NEW_ARR = 'New ARR booked';

async function signInAs(page: Page, persona: string) {
  await page.goto('/sign-in');
  await page.getByRole('button', { name: persona }).click();
  await page.waitForURL((url) => url.pathname.startsWith('/o/'));
}

async function screenshots(page: Page, path: string, name: string) {
  for (const width of WIDTHS) {
    await page.setViewportSize({ width, height: 900 });
    await page.goto(`${ORG}${path}`, { waitUntil: 'networkidle' });
    await page.screenshot({ path: test.info().outputPath(`${name}-${width}.png`), fullPage: true });
  }
  await page.setViewportSize({ width: 1440, height: 900 });
}

const escaped = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The explorer's row of a KPI: the row whose own name link (not a formula link) names it. */
function explorerRow(page: Page, name: string) {
  return page
    .getByRole('list', { name: 'KPI cascade' })
    .locator('li > div')
    .filter({
      has: page.getByTestId('kpi-tree-name').filter({ hasText: new RegExp(`${escaped(name)}$`) }),
    });
}

for (const persona of ['Owner: Morgan Blake', 'Member: Liam Chen']) {
  const who = persona.startsWith('Owner') ? 'owner' : 'member';

  test(`the ${who}'s dashboard and explorer at desktop and phone width`, async ({ page }) => {
    // Full-page screenshots of a long explorer take their time on a shared machine.
    test.setTimeout(180_000);
    await signInAs(page, persona);
    await screenshots(page, '', `driver-links-dashboard-${who}`);
    await screenshots(page, '/kpis', `driver-links-explorer-${who}`);
    await expect(page.getByTestId('formula-drivers').first()).toBeVisible();
  });

  test(`the ${who} sees the north star's drivers on the dashboard and follows one`, async ({
    page,
  }) => {
    await signInAs(page, persona);
    await page.goto(ORG);
    const card = page.getByTestId('north-star-card').filter({ hasText: ARR });
    const drivers = card.getByTestId('north-star-drivers');
    await expect(drivers).toContainText('Computed from:');
    await expect(drivers).toContainText('and its previous value');
    const list = drivers.getByRole('list', { name: `Drivers of ${ARR}` });
    for (const name of [NEW_ARR, 'Expansion ARR', 'Churned ARR']) {
      const item = list.getByRole('listitem').filter({ hasText: name });
      await expect(item.getByRole('link', { name, exact: true })).toBeVisible();
      // Its value and its status in words, not a colour alone.
      await expect(item).toContainText(/\$[\d,.]+/);
      await expect(item).toContainText(/On track|At risk|Off track|In progress|No data/);
    }
    await list.getByRole('link', { name: NEW_ARR, exact: true }).click();
    await expect(page).toHaveURL(/\/kpis\/[0-9a-f-]{36}$/);
    await expect(page.getByRole('heading', { level: 1 })).toContainText(NEW_ARR);
  });

  test(`the ${who} sees formula links in the KPI explorer and follows one`, async ({ page }) => {
    // Three visits of the whole explorer (every KPI of the demo) on a shared machine.
    test.setTimeout(120_000);
    await signInAs(page, persona);
    await page.goto(`${ORG}/kpis`);

    const arr = explorerRow(page, ARR);
    await expect(arr.getByTestId('kpi-tree-name')).toContainText('ƒ');
    const computed = arr.getByTestId('formula-drivers');
    await expect(computed).toContainText('Computed from');
    await expect(computed).toContainText('its previous value');
    await expect(computed.getByRole('link', { name: NEW_ARR, exact: true })).toBeVisible();
    // ARR's own prev feeds NRR: a formula that reads it is named as fed.
    await expect(arr.getByTestId('formula-feeds')).toContainText('Net revenue retention');

    const input = explorerRow(page, NEW_ARR);
    const feeds = input.getByTestId('formula-feeds');
    await expect(feeds).toContainText('Feeds');
    await expect(feeds.getByRole('link', { name: 'Net new ARR', exact: true })).toBeVisible();
    // An input is not a formula: no mark, no drivers line.
    await expect(input.getByTestId('formula-drivers')).toHaveCount(0);

    await feeds.getByRole('link', { name: ARR, exact: true }).click();
    await expect(page).toHaveURL(/\/kpis\/[0-9a-f-]{36}$/);
    await expect(page.getByRole('heading', { level: 1 })).toContainText(ARR);
    await expect(page.getByTestId('kpi-formula')).toContainText('sales.new_arr');

    // And back from the formula to a driver, through the explorer's drivers line.
    await page.goto(`${ORG}/kpis`);
    await explorerRow(page, 'MQL-to-SQL conversion rate')
      .getByTestId('formula-drivers')
      .getByRole('link')
      .first()
      .click();
    await expect(page).toHaveURL(/\/kpis\/[0-9a-f-]{36}$/);
    await expect(page.getByRole('heading', { level: 1 })).toContainText(/MQLs|SQLs/);
  });
}
