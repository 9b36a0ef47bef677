import { expect, test, type Page, type TestInfo } from '@playwright/test';

// Scheduled reports: the owner opens Settings → Scheduled reports, is told to choose members,
// schedules the company report monthly on day 5 to two members, sees it listed, and deletes it;
// then back to Settings and its mail deliveries log.

const ORG = '/o/northwind-cloud';

async function shoot(page: Page, testInfo: TestInfo, name: string) {
  for (const width of [1280, 390]) {
    await page.setViewportSize({ width, height: width === 390 ? 844 : 900 });
    await page.screenshot({ path: testInfo.outputPath(`${name}-${width}.png`), fullPage: true });
  }
  await page.setViewportSize({ width: 1280, height: 900 });
}

test('the owner schedules a report by e-mail and deletes the schedule', async ({
  page,
}, testInfo) => {
  test.setTimeout(120_000);
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.goto('/sign-in');
  await page.getByRole('button', { name: 'Owner: Morgan Blake' }).click();
  await page.waitForURL((url) => url.pathname.startsWith('/o/'));

  await page.goto(`${ORG}/settings`);
  await shoot(page, testInfo, 'settings');
  await page.getByRole('link', { name: 'schedule reports' }).click();
  await expect(page).toHaveURL(`${ORG}/settings/reports`);
  await expect(page.getByRole('heading', { name: 'Scheduled reports', level: 1 })).toBeVisible();
  await expect(page.getByText('No report is scheduled yet.')).toBeVisible();

  const form = page.getByRole('form', { name: 'Schedule a report' });
  // No member chosen: refused in the form, nothing listed.
  await form.getByRole('button', { name: 'Schedule report' }).click();
  await expect(form.getByText('Choose at least one member')).toBeVisible();
  await shoot(page, testInfo, 'schedules-empty');

  await form.getByLabel('How often').selectOption('monthly');
  await form.getByLabel('On day').selectOption('5');
  // The recipients are searched as one types and gathered in a list; one is removed again.
  const to = form.getByRole('combobox', { name: 'To' });
  const recipients = form.getByRole('list', { name: 'Recipients' }).getByRole('listitem');
  for (const name of ['Liam Chen', 'Priya Raman', 'Morgan Blake']) {
    await to.fill(name.split(' ')[0]!);
    await form.getByRole('option', { name: new RegExp(`^${name}`) }).click();
    await expect(to).toHaveValue('');
  }
  await expect(recipients).toHaveCount(3);
  // The refusal was about an empty list: it goes once someone is chosen.
  await expect(form.getByText('Choose at least one member')).toHaveCount(0);
  await expect(recipients.first()).toContainText('Liam Chen');
  await form.getByRole('button', { name: 'Remove Morgan Blake' }).click();
  await expect(recipients).toHaveCount(2);
  await to.fill('a');
  // Everyone with an "a" in the name or the email, not the last search's one match.
  await expect(to).toHaveAccessibleDescription(/\d+ (of \d+ )?matches/);
  await expect(form.getByRole('listbox', { name: 'To' }).getByRole('option')).not.toHaveCount(1);
  await shoot(page, testInfo, 'schedules-recipients');
  await to.press('Escape');
  await shoot(page, testInfo, 'schedules-chosen');
  await form.getByRole('button', { name: 'Schedule report' }).click();
  await expect(form.getByRole('status')).toHaveText('Scheduled.');
  const listed = page.getByTestId('report-schedule');
  await expect(listed).toHaveCount(1);
  await expect(listed.first()).toContainText('Monthly on day 5');
  await expect(listed.first()).toContainText('To Liam Chen, Priya Raman');
  await expect(form.getByText('No recipient yet.')).toBeVisible();
  await shoot(page, testInfo, 'schedules-listed');

  page.once('dialog', (dialog) => void dialog.accept());
  await listed
    .first()
    .getByRole('button', { name: /Delete schedule/ })
    .click();
  await expect(listed).toHaveCount(0);
  await expect(page.getByText('No report is scheduled yet.')).toBeVisible();

  // The deliveries log shares the settings subpage header.
  await page.getByRole('link', { name: '← Settings' }).click();
  await page.getByRole('link', { name: 'mail deliveries log' }).click();
  await expect(page.getByRole('heading', { name: 'Mail deliveries', level: 1 })).toBeVisible();
  await shoot(page, testInfo, 'mail-log');
});
