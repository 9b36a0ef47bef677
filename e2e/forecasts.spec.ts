import { expect, test, type Page } from '@playwright/test';
import { pickByTyping, shootWidths } from './helpers';

/**
 * Forecasts and attribution (issue 24): the owner opens the demo's north star (ARR, a formula over
 * new, expansion and churned ARR) from the dashboard and sees why last month landed where it did
 * (a sentence, the waterfall from target through each driver to actual, every contribution down to
 * its owners), where this month is heading (value, range, projected status) and whether its
 * leading indicators lead it; links a KPI believed to lead it (explicitly, as "leads"), sees it
 * measured and listed, and removes the link. The dashboard and the report show where the open
 * period is heading; the member's "My targets" shows each target's projection, which moves after
 * a check-in; a quarter's dashboard projects its monthly KPIs over the quarter and counts each
 * department's KPIs by projected status. Screenshots at desktop and phone widths.
 */

const ORG = '/o/northwind-cloud';

async function signInAs(page: Page, persona: string) {
  await page.goto('/sign-in');
  await page.getByRole('button', { name: persona }).click();
  await page.waitForURL((url) => url.pathname.startsWith('/o/'));
}

test('the north star shows its waterfall and its projection', async ({ page }, testInfo) => {
  test.setTimeout(180_000); // a long journey: three sections, a link added and removed, screenshots
  await signInAs(page, 'Owner: Morgan Blake');
  await page.goto(ORG);
  await page
    .getByTestId('north-star-card')
    .first()
    .getByRole('link', { name: /Annual recurring revenue/ })
    .first()
    .click();
  await expect(page).toHaveURL(/\/kpis\/[0-9a-f-]{36}$/);
  await expect(page.getByRole('heading', { level: 1 })).toContainText('Annual recurring revenue');

  const attribution = page.getByRole('region', { name: /Why it is where it is/ });
  await expect(attribution).toBeVisible();
  // "ARR is 120,000 USD short of target: New ARR −90,000 USD (…), …" in words, not colour
  await expect(attribution.getByTestId('attribution-sentence')).toContainText(
    /Annual recurring revenue \(ARR\) is (.+ (short of|ahead of) target: .+|on target)/,
  );
  const waterfall = attribution.getByTestId('attribution-waterfall');
  await expect(waterfall.getByRole('listitem').first()).toContainText('Target');
  await expect(waterfall.getByRole('listitem').last()).toContainText('Actual');
  expect(await waterfall.getByRole('listitem').count()).toBeGreaterThanOrEqual(3);
  await attribution.getByText('Every contribution, down to its owners').click();
  await expect(attribution.getByTestId('attribution-lines').first()).toContainText('New ARR');

  const projection = page.getByTestId('kpi-projection');
  await expect(projection).toBeVisible();
  await expect(projection.getByTestId('kpi-projection-phrase')).toContainText(
    /projected \d+% of target, (on track|at risk|off track)/,
  );
  // a proven lead is named under it: used (and by how much it moved the projection), or why not
  // (ARR is a formula: projected from its inputs' projections, so no lead informs it directly)
  const leadNote = projection.getByTestId('kpi-projection-lead');
  if ((await leadNote.count()) > 0) {
    await expect(leadNote).toContainText(
      /(Uses .+ lead \(\d+ months?\): [+−].+ on the trend|but the projection does not use it: .+)/,
    );
  }

  // its leading indicators (new opportunities, pipeline) measured on its history, in words
  const leading = page.getByRole('region', { name: 'Do its leading indicators lead?' });
  await expect(leading.getByTestId('lead-pairs').getByRole('listitem').first()).toContainText(
    /(leads|moves with|barely predicts|predicts nothing|Too little history)/,
  );

  // the owner links a KPI believed to lead ARR without feeding it; it is measured and listed
  const addLead = leading.getByRole('form', { name: 'Add a leading indicator' });
  await pickByTyping(
    addLead.getByRole('combobox', { name: 'A KPI believed to lead this one' }),
    'Pipeline value: Enterprise',
  );
  await addLead.getByRole('button', { name: 'Link as leading' }).click();
  const linked = leading
    .getByTestId('lead-pairs')
    .getByRole('listitem')
    .filter({ hasText: 'Pipeline value: Enterprise' });
  await expect(linked).toContainText('linked as leading');
  await expect(linked).toContainText(
    /(leads|moves with|barely predicts|predicts nothing|Too little history)/,
  );

  await attribution.scrollIntoViewIfNeeded();
  await shootWidths(page, testInfo, 'north-star-forecast', [1280, 390]);
  for (const width of [1280, 390]) {
    await page.setViewportSize({ width, height: width <= 390 ? 844 : 900 });
    await attribution.screenshot({ path: testInfo.outputPath(`waterfall-${width}.png`) });
    await projection.screenshot({ path: testInfo.outputPath(`projection-${width}.png`) });
    await leading.screenshot({ path: testInfo.outputPath(`leading-${width}.png`) });
  }

  // and removes the link again (after a confirmation): it is no longer listed
  page.once('dialog', (dialog) => void dialog.accept());
  await linked
    .getByRole('button', { name: /Remove the link: Pipeline value: Enterprise leads/ })
    .click();
  await expect(linked).toHaveCount(0);
});

test('the dashboard and the report show where the open period is heading', async ({
  page,
}, testInfo) => {
  await signInAs(page, 'Owner: Morgan Blake');
  // the open month (early in a month the dashboard opens on the last complete one)
  const open = `?period=month-${new Date().toISOString().slice(0, 7)}-01`;
  await page.goto(`${ORG}${open}`);
  // the north star's projected end, in words next to its icon (never colour alone)
  const star = page.getByTestId('north-star-card').first();
  await expect(star.getByTestId('projected-end')).toContainText(
    /Projected \d+% of target, (on track|at risk|off track) \(.+\)/,
  );
  // and the scorecard rows of the company's KPIs
  await expect(page.locator('[data-testid="projected-end"]:visible').nth(1)).toBeVisible();
  await shootWidths(page, testInfo, 'dashboard-projections', [1280, 390]);

  await page.goto(`${ORG}/reports${open}`);
  await expect(page.getByRole('columnheader', { name: 'Projected' }).first()).toBeVisible();
  await expect(page.getByTestId('report-projected').first()).toContainText(
    /\d+% of target, (on track|at risk|off track)/,
  );
  await shootWidths(page, testInfo, 'report-projections', [1280, 390]);
});

test('the member’s targets show where each one is heading, and it moves after a check-in', async ({
  page,
}, testInfo) => {
  await signInAs(page, 'Member: Liam Chen');
  await page.goto(ORG);
  const targets = page.getByRole('list', { name: 'My targets' });
  const quota = targets.getByTestId('my-target').filter({ hasText: 'New ARR booked (Liam Chen)' });
  const line = quota.getByTestId('projected-end');
  // the dashboard's phrase and figure, next to its status icon
  await expect(line).toContainText(/Projected \d+% of target, (on track|at risk|off track) \(.+\)/);
  const before = await line.innerText();
  await targets.scrollIntoViewIfNeeded();
  await shootWidths(page, testInfo, 'my-targets-projection', [1280, 390]);

  // a deal closed now: the period's value and its projection move once the panel refetches
  const form = page.getByRole('form', { name: 'Check-ins due' });
  await form.getByLabel('New ARR booked (Liam Chen)').fill('250000');
  await form.getByRole('button', { name: 'Save 1 check-in' }).click();
  const anyway = form.getByRole('button', { name: 'Save anyway' });
  const saved = form.getByTestId('checkin-message');
  await expect(anyway.or(saved)).toBeVisible();
  if (await anyway.isVisible()) await anyway.click();
  await expect(saved).toContainText('Saved 1 check-in');
  await expect(line).not.toHaveText(before);
  await expect(line).toContainText(/Projected \d+% of target/);
});

test('a quarter’s dashboard projects its monthly KPIs over the quarter, and each unit', async ({
  page,
}, testInfo) => {
  await signInAs(page, 'Owner: Morgan Blake');
  const now = new Date();
  const quarter = `${now.getUTCFullYear()}-${String(Math.floor(now.getUTCMonth() / 3) * 3 + 1).padStart(2, '0')}-01`;
  await page.goto(`${ORG}?period=quarter-${quarter}`);
  // ARR and the company's monthly KPIs: where the quarter is heading
  const star = page.getByTestId('north-star-card').first();
  await expect(star.getByTestId('projected-end')).toContainText(
    /Projected \d+% of target, (on track|at risk|off track) \(.+\)/,
  );
  // each department: how many of its KPIs are projected on track, at risk, off track
  const card = page.getByTestId('unit-scorecard').first();
  await expect(card.getByTestId('unit-projected')).toContainText(
    /Projected at period end.*\d+ on track.*\d+ at risk.*\d+ off track/,
  );
  await shootWidths(page, testInfo, 'quarter-projections', [1280, 390]);
  for (const width of [1280, 390]) {
    await page.setViewportSize({ width, height: width <= 390 ? 844 : 900 });
    await card.scrollIntoViewIfNeeded();
    await card.screenshot({ path: testInfo.outputPath(`unit-card-${width}.png`) });
  }
});
