import { expect, test } from '@playwright/test';
import { createKpi, selectByText, signUp, uniqueAccount } from './helpers';

test('owner builds a cascade, a member checks in on one screen, the north star updates exactly', async ({
  browser,
}, testInfo) => {
  const owner = uniqueAccount('Dash');
  const ownerContext = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await ownerContext.newPage();
  const base = await signUp(page, owner);

  // A new organization is guided to its first department and north star.
  await expect(page.getByRole('link', { name: 'Add your first department →' })).toBeVisible();
  await expect(page.getByRole('link', { name: 'Create the north star →' })).toBeVisible();

  // The owner adds a department in the unit editor.
  await page.getByRole('link', { name: 'Add your first department →' }).click();
  await expect(page.getByRole('heading', { name: 'Units', level: 1 })).toBeVisible();
  await page.getByLabel('Department name').fill('Sales');
  await page.getByRole('button', { name: 'Add department' }).click();
  await expect(page.getByTestId('unit-row').filter({ hasText: 'Sales' })).toBeVisible();

  // ... and invites a member whose home unit is Sales.
  const member = uniqueAccount('Rep');
  await page.goto(`${base}/people`);
  await page.getByLabel('Email', { exact: true }).fill(member.email);
  await page.getByLabel('Role', { exact: true }).selectOption('member');
  await selectByText(page.getByLabel('Home unit', { exact: true }), 'Sales');
  await page.getByRole('button', { name: 'Invite', exact: true }).click();
  const link = await page.getByTestId('invite-result').getByLabel('Invitation link').inputValue();
  const memberContext = await browser.newContext({ viewport: { width: 390, height: 844 } });
  const memberPage = await memberContext.newPage();
  await memberPage.goto(link);
  await memberPage.getByLabel('Name', { exact: true }).fill(member.name);
  await memberPage.getByLabel('Password', { exact: true }).fill(member.password);
  await memberPage.getByRole('button', { name: 'Create account and join' }).click();
  await expect(memberPage).toHaveURL(new RegExp(`${base}$`));

  // The owner builds the cascade: north star <- Sales (sum) <- two KPIs the member owns: a flow
  // (inbound deals: each check-in adds) and a level (open outbound deals: the latest reading counts).
  await createKpi(page, base, {
    name: 'New customers',
    rollup: 'sum',
    target: '40',
    northStar: true,
  });
  await createKpi(page, base, {
    name: 'Sales new customers',
    unit: 'Sales',
    parent: 'New customers',
    rollup: 'sum',
    target: '30',
  });
  await createKpi(page, base, {
    name: 'Inbound deals',
    unit: 'Sales',
    owner: member.name,
    parent: 'Sales new customers',
    rollup: 'manual',
    target: '10',
  });
  await createKpi(page, base, {
    name: 'Outbound deals',
    unit: 'Sales',
    owner: member.name,
    parent: 'Sales new customers',
    rollup: 'manual',
    target: '10',
    aggregation: 'last',
  });

  // The dashboard leads with the last complete month; the open one is "this period so far".
  await page.goto(base);
  await expect(page.getByText(/^Where we stood · /)).toBeVisible();
  await page
    .getByTestId('so-far')
    .getByRole('link', { name: /^Open / })
    .click();
  await expect(page).toHaveURL(/\?period=month-\d{4}-\d{2}-01$/);
  await expect(page.getByText(/^This period so far · /)).toBeVisible();
  const star = page.getByTestId('north-star-card');
  await expect(star).toContainText('New customers');
  await expect(star.getByTestId('north-star-value')).toHaveText('—');

  // The member records both values on one screen and saves them in one go.
  await memberPage.goto(base);
  const form = memberPage.getByRole('form', { name: 'Check-ins due' });
  await expect(form.getByTestId('checkin-row')).toHaveCount(2);
  // The date the readings get is shown before anyone types.
  await expect(memberPage.getByTestId('checkin-date')).toContainText(
    /^Readings are dated \d{2}\/\d{2}\/\d{4}$/,
  );
  await form.getByLabel('Inbound deals').fill('7');
  await form.getByLabel('Outbound deals').fill('5');
  await form.getByRole('button', { name: 'Save 2 check-ins' }).click();
  await expect(memberPage.getByTestId('checkin-message')).toContainText('Saved 2 check-ins dated');
  const targets = memberPage.getByRole('list', { name: 'My targets' });
  const targetValue = (name: string) =>
    targets.getByTestId('my-target').filter({ hasText: name }).getByTestId('my-target-value');
  await expect(targetValue('Inbound deals')).toHaveText('7');
  await expect(
    targets.getByTestId('my-target').filter({ hasText: 'Outbound deals' }),
  ).toContainText('New customers');
  await expect(form.getByRole('button', { name: 'Nothing to save' })).toBeDisabled();
  await memberPage.screenshot({
    path: testInfo.outputPath('member-dashboard-390.png'),
    fullPage: true,
  });

  // The owner's dashboard shows the exact rollup: 7 + 5 = 12, both reported.
  await page.reload();
  await expect(star.getByTestId('north-star-value')).toHaveText('12');
  await expect(star.getByTestId('north-star-coverage')).toContainText('1 of 1 reported');
  const sales = page.getByTestId('unit-scorecard').filter({ hasText: 'Sales' });
  await expect(sales).toContainText('Sales new customers');
  await expect(sales).toContainText('12');

  // A flow takes an amount to add (2 more inbound deals); a level shows its reading as a hint
  // only, never as the field's content a save would turn into an edit.
  await memberPage.reload();
  await expect(form.getByLabel('Inbound deals')).toHaveValue('');
  await expect(form.getByLabel('Outbound deals')).toHaveValue('');
  await expect(form.getByLabel('Outbound deals')).toHaveAttribute('placeholder', '5');
  await expect(form.getByTestId('checkin-row').filter({ hasText: 'Outbound deals' })).toContainText(
    "Today's reading 5",
  );
  await expect(form.getByRole('button', { name: 'Nothing to save' })).toBeDisabled();
  await form.getByLabel('Inbound deals').fill('2');
  await form.getByRole('button', { name: 'Save 1 check-in' }).click();
  await expect(memberPage.getByTestId('checkin-message')).toContainText('Saved 1 check-in dated');
  await expect(targetValue('Inbound deals')).toHaveText('9');
  await page.reload();
  await expect(star.getByTestId('north-star-value')).toHaveText('14');

  // A typo is caught before sending, with the same rule the server applies.
  await memberPage.reload();
  await form.getByLabel('Outbound deals').fill('1,0');
  await form.getByRole('button', { name: 'Save 1 check-in' }).click();
  await expect(memberPage.getByTestId('checkin-message')).toContainText('Fix the highlighted rows');
  await expect(form.getByText(/Write the number as 1,234\.5/)).toBeVisible();

  // Two tabs: the second corrects today's reading first, so the first one's correction is stale. "Save all"
  // is one transaction: the server refuses the stale row (CONFLICT) and so saves nothing, not
  // even the good row; the optimistic values roll back, the typed values stay, no update is lost.
  await memberPage.reload();
  const otherTab = await memberContext.newPage();
  await otherTab.goto(base);
  const otherForm = otherTab.getByRole('form', { name: 'Check-ins due' });
  await otherForm.getByLabel('Outbound deals').fill('6');
  await otherForm.getByRole('button', { name: 'Save 1 check-in' }).click();
  await expect(otherTab.getByTestId('checkin-message')).toContainText('Saved 1 check-in dated');
  await form.getByLabel('Inbound deals').fill('3');
  await form.getByLabel('Outbound deals').fill('8');
  await form.getByRole('button', { name: 'Save 2 check-ins' }).click();
  await expect(memberPage.getByTestId('checkin-message')).toContainText('1 could not be saved');
  await expect(memberPage.getByTestId('checkin-message')).toContainText('nothing was saved');
  await expect(form.getByText('Someone else changed this in the meantime')).toBeVisible();
  await expect(form.getByLabel('Inbound deals')).toHaveValue('3');
  await expect(targetValue('Outbound deals')).toHaveText('6');
  await expect(targetValue('Inbound deals')).toHaveText('9');
  for (const width of [1440, 375]) {
    await memberPage.setViewportSize({ width, height: width === 375 ? 812 : 900 });
    await form.scrollIntoViewIfNeeded();
    await memberPage.screenshot({
      path: testInfo.outputPath(`checkins-one-bad-row-${width}.png`),
      fullPage: true,
    });
  }
  await memberPage.setViewportSize({ width: 390, height: 844 });
  await page.reload();
  await expect(star.getByTestId('north-star-value')).toHaveText('15');

  await page.screenshot({ path: testInfo.outputPath('owner-dashboard-1280.png'), fullPage: true });
  await page.setViewportSize({ width: 390, height: 844 });
  await page.screenshot({ path: testInfo.outputPath('owner-dashboard-390.png'), fullPage: true });

  // The member's GET route answers for their org and 404 for a slug that is not theirs.
  const mine = await memberPage.request.get(`/api${base}/me`);
  expect(mine.status()).toBe(200);
  const foreign = await memberPage.request.get('/api/o/no-such-organization-here/me');
  expect(foreign.status()).toBe(404);

  await memberContext.close();
  await ownerContext.close();
});

test('a dashboard card’s “see all” opens the explorer filtered to exactly what the card counted', async ({
  page,
}) => {
  await page.goto('/sign-in');
  await page.getByRole('button', { name: 'Owner: Morgan Blake' }).click();
  await page.waitForURL((url) => url.pathname.startsWith('/o/'));
  await page.goto('/o/northwind-cloud');
  const attention = page.locator('#attention');
  const seeAll = attention.getByTestId('see-all');
  const total = Number(await seeAll.locator('.tabular-nums').textContent());
  expect(total).toBeGreaterThan(await attention.getByRole('listitem').count());
  await seeAll.getByRole('link').click();
  // The dashboard leads with the last complete month: the explorer reads the same period.
  await expect(page).toHaveURL(/\/kpis\?status=attention&asOf=\d{4}-\d{2}-\d{2}$/);
  await expect(page.getByLabel('Status')).toHaveValue('attention');
  await expect(page.getByTestId('explorer-match-count')).toHaveText(String(total));
});

test('workspace pages prefetch nothing: a page is fetched when its link is followed', async ({
  page,
}) => {
  await page.goto('/sign-in');
  await page.getByRole('button', { name: 'Owner: Morgan Blake' }).click();
  await page.waitForURL((url) => url.pathname.startsWith('/o/'));
  // Every workspace page is dynamic with no loading boundary: a prefetch would be a server render
  // the click does not use (components/layout/workspace-link.tsx).
  const prefetched: string[] = [];
  page.on('request', (request) => {
    if (request.headers()['next-router-prefetch']) prefetched.push(request.url());
  });
  await page.goto('/o/northwind-cloud', { waitUntil: 'networkidle' });
  // Pointing at a dashboard row's link (plain <a> routed by ClientLinks) prefetches nothing either.
  const row = page.locator('#attention a[href*="/kpis/"]').first();
  await row.hover();
  await row.focus();
  // An absence is seen over time: what pointing would have sent goes out within this.
  await page.waitForTimeout(500);
  await page.goto('/o/northwind-cloud/kpis', { waitUntil: 'networkidle' });
  await page
    .getByRole('navigation', { name: 'Main', exact: true })
    .getByRole('link', { name: 'People', exact: true })
    .click();
  await expect(page).toHaveURL(/\/o\/northwind-cloud\/people$/);
  await expect(page.getByRole('heading', { name: 'People', level: 1 })).toBeVisible();
  await page.waitForLoadState('networkidle');
  expect(prefetched).toEqual([]);
});

test('the check-in screens show the date they use and the last readings as hints', async ({
  page,
}, testInfo) => {
  await page.setViewportSize({ width: 1440, height: 900 });
  await page.goto('/sign-in');
  await page.getByRole('button', { name: 'Member: Liam Chen' }).click();
  await page.waitForURL((url) => url.pathname.startsWith('/o/'));
  await page.goto('/o/northwind-cloud');
  const form = page.getByRole('form', { name: 'Check-ins due' });
  await expect(page.getByTestId('checkin-date')).toContainText(
    /^Readings are dated \d{2}\/\d{2}\/\d{4}$/,
  );
  // Nothing is pre-filled: a save can only record what was typed.
  const inputs = form.getByRole('textbox');
  for (const input of await inputs.all()) await expect(input).toHaveValue('');
  await expect(form.getByRole('button', { name: 'Nothing to save' })).toBeDisabled();
  await expect(form.getByTestId('checkin-row').first()).toContainText(
    /(Last reading|last entry|Today's reading)/,
  );
  for (const width of [1440, 375]) {
    await page.setViewportSize({ width, height: width === 375 ? 812 : 900 });
    await form.scrollIntoViewIfNeeded();
    await page.screenshot({
      path: testInfo.outputPath(`one-screen-checkin-${width}.png`),
      fullPage: true,
    });
  }
  // Typing says what the save will do, before saving (nothing is saved here).
  for (const input of await inputs.all()) await input.fill('12');
  await expect(form.getByRole('button', { name: /^Save \d+ check-ins?$/ })).toBeEnabled();
  await expect(form).toContainText(/(new reading dated|new entry dated|corrects today's reading)/);
  await form.screenshot({ path: testInfo.outputPath('one-screen-checkin-typed-375.png') });
  await page.setViewportSize({ width: 1440, height: 900 });
  await form.screenshot({ path: testInfo.outputPath('one-screen-checkin-typed-1440.png') });

  // The KPI page's form says the same before anyone types.
  await page.setViewportSize({ width: 1440, height: 900 });
  await page
    .getByRole('list', { name: 'My targets' })
    .getByTestId('my-target')
    .last()
    .getByRole('link')
    .first()
    .click();
  const record = page.getByRole('form', { name: 'Record a value' });
  await expect(page.getByTestId('checkin-form-date')).toContainText(/ \d{2}\/\d{2}\/\d{4}/);
  await expect(record.getByLabel(/^(Value|Amount to add)/)).toHaveValue('');
  for (const width of [1440, 375]) {
    await page.setViewportSize({ width, height: width === 375 ? 812 : 900 });
    await record.scrollIntoViewIfNeeded();
    await record.screenshot({ path: testInfo.outputPath(`kpi-checkin-form-${width}.png`) });
    await page.screenshot({ path: testInfo.outputPath(`kpi-page-${width}.png`), fullPage: true });
  }
});

test('the demo: one meaning for every percent, and a KPI chart that shows the story', async ({
  page,
}, testInfo) => {
  const sizes = [
    ['desktop', { width: 1440, height: 900 }],
    ['phone', { width: 375, height: 812 }],
  ] as const;
  const shoot = async (name: string, check: () => Promise<void>) => {
    for (const [label, size] of sizes) {
      await page.setViewportSize(size);
      await check();
      await page.screenshot({
        path: testInfo.outputPath(`${name}-${label}-${size.width}.png`),
        fullPage: true,
      });
    }
    await page.setViewportSize(sizes[0][1]);
  };
  /** The y-axis labels of the chart on the page (drawn on the server), bottom first. */
  const yTicks = async () => {
    const chart = page.getByTestId('kpi-chart');
    const ticks = chart.getByTestId('kpi-chart-y-tick');
    await expect(ticks.first()).toBeVisible();
    // Left edge measured from the chart's own box: a label starting left of it is cut off.
    const boxes = await ticks.evaluateAll((els) =>
      els.map((el) => {
        const r = el.getBoundingClientRect();
        const box = el.closest('[data-testid="kpi-chart"]')!.getBoundingClientRect();
        return { text: el.textContent ?? '', left: r.left - box.left, bottom: r.bottom };
      }),
    );
    // Every period has its full numbers on hover and in the table for screen readers.
    const periods = await chart.getByRole('table').locator('tbody tr').count();
    expect(periods).toBeGreaterThanOrEqual(2);
    await expect(chart.getByTestId('kpi-chart-period')).toHaveCount(periods);
    await expect(chart.getByTestId('kpi-chart-period').last().locator('title')).toHaveText(
      /Actual: \S.*\s+Target: \S/,
    );
    return boxes.sort((a, b) => b.bottom - a.bottom);
  };

  await page.setViewportSize(sizes[0][1]);
  await page.goto('/sign-in');
  await page.getByRole('button', { name: 'Owner: Morgan Blake' }).click();
  await page.waitForURL((url) => url.pathname.startsWith('/o/'));
  await page.goto('/o/northwind-cloud');
  await shoot('percent-dashboard-owner', async () => {
    await expect(page.getByTestId('north-star-card').first()).toBeVisible();
  });

  // ARR, a level: its y-axis fits the data instead of starting at 0, with short labels that
  // neither wrap nor get cut off (the currency is named once, above the chart).
  await page
    .getByTestId('north-star-card')
    .first()
    .getByRole('link', { name: /Annual recurring revenue/ })
    .click();
  await expect(page).toHaveURL(/\/kpis\/[0-9a-f-]{36}$/);
  await shoot('percent-kpi-arr', async () => {
    const ticks = await yTicks();
    expect(ticks.length).toBeGreaterThanOrEqual(3);
    expect(ticks[0]!.text).not.toBe('0');
    expect(new Set(ticks.map((t) => t.text)).size).toBe(ticks.length);
    for (const t of ticks) {
      expect(t.text).toMatch(/^-?[\d.]+[KMBT]?$/);
      expect(t.left).toBeGreaterThanOrEqual(0);
    }
    await expect(page.getByText('in USD', { exact: true })).toBeVisible();
  });
  // Explore values: the same data in Tremor's interactive chart, its code fetched only now; a
  // pointer over the plot shows the full numbers. Then back to the server-drawn chart.
  await page.getByTestId('kpi-chart-explore').click();
  const explorer = page.getByTestId('kpi-chart-explorer');
  await expect(explorer.locator('.recharts-line')).toHaveCount(2);
  const plot = explorer.locator('.recharts-surface').first();
  const box = (await plot.boundingBox())!;
  await page.mouse.move(box.x + box.width * 0.9, box.y + box.height / 2);
  await expect(explorer.getByText(/^Actual/).first()).toBeVisible();
  await expect(explorer).toContainText('USD');
  await page.getByTestId('kpi-chart-explore').click();
  await expect(page.getByTestId('kpi-chart')).toBeVisible();
  await expect(explorer).toHaveCount(0);

  // Churned ARR, lower is better: the percent is its share of the budget, so on track means at
  // most 100% (it read "904%" while on track before), and the bar's width says the same.
  await page.getByRole('link', { name: 'Churned ARR', exact: true }).click();
  await expect(page.getByRole('heading', { level: 1 })).toContainText('Churned ARR');
  await shoot('percent-kpi-churned-arr', async () => {
    const card = page.getByRole('region', { name: 'Current period' });
    const bar = card.getByRole('progressbar');
    const percentText = (await bar.locator('xpath=..').innerText()).trim();
    expect(percentText).toMatch(/^(—|>999%|-?\d{1,3}%)$/);
    const status = (
      await page
        .locator('header')
        .getByText(/On track|At risk|Off track|No data|In progress/)
        .first()
        .innerText()
    ).trim();
    if (status === 'On track' && percentText !== '—') {
      expect(Number(percentText.replace('%', ''))).toBeLessThanOrEqual(100);
    }
    if (percentText.endsWith('%') && !percentText.startsWith('>')) {
      expect(Number(await bar.getAttribute('aria-valuenow'))).toBe(
        Math.max(0, Math.min(100, Number(percentText.replace('%', '')))),
      );
    }
    const ticks = await yTicks();
    expect(ticks.length).toBeGreaterThanOrEqual(2);
    for (const t of ticks) expect(t.left).toBeGreaterThanOrEqual(0);
  });
});

test('the demo dashboards lead with the last complete month and show this month so far', async ({
  page,
}, testInfo) => {
  for (const persona of ['Owner: Morgan Blake', 'Team lead: Sofia Martinez', 'Member: Liam Chen']) {
    await page.context().clearCookies();
    await page.setViewportSize({ width: 1440, height: 900 });
    await page.goto('/sign-in');
    await page.getByRole('button', { name: persona }).click();
    await page.waitForURL((url) => url.pathname.startsWith('/o/'));
    await page.goto('/o/northwind-cloud');
    await expect(page.getByText(/^Where we stood · /)).toBeVisible();
    const who = persona.split(':')[0]!.toLowerCase().replace(' ', '-');
    if (who !== 'member') await expect(page.getByTestId('so-far')).toBeVisible();
    // My work is for now: this month so far, with its check-ins.
    await expect(page.getByRole('heading', { name: /^My work · .* so far$/ })).toBeVisible();
    for (const width of [1440, 375]) {
      await page.setViewportSize({ width, height: width === 375 ? 812 : 900 });
      await page.screenshot({
        path: testInfo.outputPath(`${who}-dashboard-${width}.png`),
        fullPage: true,
      });
    }
    // The open month, chosen in the picker: flows early in it are "in progress" with their pace.
    await page.setViewportSize({ width: 1440, height: 900 });
    const open = await page
      .getByLabel('Period')
      .locator('option', { hasText: '(so far)' })
      .first()
      .getAttribute('value');
    await page.goto(`/o/northwind-cloud?period=${open}`);
    await expect(page.getByText(/^This period so far · /)).toBeVisible();
    await page.screenshot({
      path: testInfo.outputPath(`${who}-dashboard-open-1440.png`),
      fullPage: true,
    });
    await page.setViewportSize({ width: 375, height: 812 });
    await page.screenshot({
      path: testInfo.outputPath(`${who}-dashboard-open-375.png`),
      fullPage: true,
    });
  }
});
